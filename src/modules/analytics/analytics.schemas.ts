import { z } from 'zod';
import { totalParam } from '../../shared/validation.ts';
import { parsePeriodBound } from './calendar.ts';

const bound = (side: 'from' | 'to') =>
  z
    .string()
    .max(40)
    .transform((v, ctx) => {
      const ms = parsePeriodBound(v, side);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', params: { problem: 'invalid_format' } });
        return z.NEVER;
      }
      return ms;
    });

/** Filters shared by every results endpoint; `from`/`to` are dates (whole local days) or ISO times. */
const filterFields = {
  surveyId: z.uuid().optional(),
  from: bound('from').optional(),
  to: bound('to').optional(),
  ownerEmployeeId: z.uuid().optional(),
  segment: z.string().trim().min(1).max(100).optional(),
  accountId: z.uuid().optional(),
  channel: z.enum(['email', 'anonymous']).optional(),
};

export const summarySchema = z.strictObject(filterFields);
export type SummaryInput = z.infer<typeof summarySchema>;

export const listResponsesSchema = z.strictObject({
  ...filterFields,
  category: z.enum(['promoter', 'passive', 'detractor']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  total: totalParam,
});
export type ListResponsesInput = z.infer<typeof listResponsesSchema>;

export const exportResponsesSchema = listResponsesSchema.omit({ limit: true, cursor: true });
export type ExportResponsesInput = z.infer<typeof exportResponsesSchema>;

export const trendSchema = z.strictObject({
  ...filterFields,
  interval: z.enum(['week', 'month', 'quarter']).default('month'),
});
export type TrendInput = z.infer<typeof trendSchema>;

export const overviewSchema = z.strictObject(filterFields);
export type OverviewInput = z.infer<typeof overviewSchema>;

export const breakdownSchema = z.strictObject({
  ...filterFields,
  dimension: z.enum(['employee', 'team', 'segment', 'channel', 'survey', 'account']),
  /** Groups with fewer answers in the period are never ranked on their raw NPS. */
  minimumN: z.coerce.number().int().min(1).max(10_000).default(30),
});
export type BreakdownInput = z.infer<typeof breakdownSchema>;
