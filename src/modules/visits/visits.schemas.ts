import { z } from 'zod';
import { MAX_KIND_LENGTH, VISIT_STATUSES } from '../../domain/visits/visit-record.ts';
import { emailValue, phoneValue } from '../contacts/contacts.schemas.ts';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v === '' || v === undefined ? null : v));

/** Which customer a visit belongs to: their customer number, email or phone (first match wins). */
export const customerRefSchema = z
  .strictObject({
    externalId: optionalText(100),
    email: emailValue,
    phone: phoneValue,
  })
  .refine((c) => c.externalId !== null || c.email !== null || c.phone !== null, {
    params: { problem: 'customer_required' },
  });

/**
 * A day the calendar has: JavaScript's date parsing rolls `2026-02-30` over into 2 March, so the
 * day is read back and compared.
 */
const isCalendarDay = (day: string): boolean => {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === day;
};

/** `2026-11-28` (a day) or an ISO 8601 instant with offset (`2026-11-28T09:30:00+01:00`). */
const visitedAt = z
  .string()
  .trim()
  .refine(
    (v) =>
      (/^\d{4}-\d{2}-\d{2}$/.test(v) ||
        (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) &&
          !Number.isNaN(Date.parse(v)))) &&
      isCalendarDay(v.slice(0, 10)),
    { params: { problem: 'invalid_date' } },
  );

/**
 * A visit or purchase as the API takes it. The amount is in euros as a JSON number with at most two
 * decimals (`89.5`, `1234.56`); a refund may be given positive or negative and is stored negative.
 */
export const visitInputSchema = z.strictObject({
  externalId: optionalText(100),
  customer: customerRefSchema,
  visitedAt,
  amount: z
    .number()
    .finite()
    .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, {
      params: { problem: 'amount_precision' },
    })
    .refine((v) => Math.abs(v) <= 10_000_000, { params: { problem: 'amount_range' } })
    .default(0),
  kind: optionalText(MAX_KIND_LENGTH),
  location: optionalText(100),
  status: z.enum(VISIT_STATUSES).default('completed'),
});
export type VisitInput = z.infer<typeof visitInputSchema>;

export const MAX_BATCH = 1000;
export const visitBatchSchema = z.strictObject({
  visits: z.array(visitInputSchema).min(1).max(MAX_BATCH),
});

export const idempotencyKeySchema = z.looseObject({
  'idempotency-key': z
    .string()
    .refine((v) => /^[\x21-\x7e]{8,200}$/.test(v), {
      params: { problem: 'invalid_idempotency_key' },
    })
    .optional(),
});

export const visitTriggerSchema = z.strictObject({
  surveyId: z.uuid(),
  enabled: z.boolean(),
  kinds: z.array(z.string().trim().min(1).max(MAX_KIND_LENGTH)).max(50).default([]),
  delayDays: z.number().int().min(0).max(60).default(3),
  sendAtMinute: z.number().int().min(0).max(1439).default(600),
});
export type VisitTriggerInput = z.infer<typeof visitTriggerSchema>;

export const contactVisitsParams = z.strictObject({ id: z.uuid() });

/** JSON of one visit. */
export const visitJson = z.object({
  id: z.string(),
  contactId: z.string(),
  externalId: z.string().nullable(),
  visitedAt: z.string(),
  kind: z.string().nullable(),
  location: z.string().nullable(),
  amount: z.number(),
  status: z.enum(VISIT_STATUSES),
  source: z.enum(['api', 'import', 'manual']),
  invitation: z.object({
    status: z.enum(['planned', 'invited', 'skipped']).nullable(),
    invitationId: z.string().nullable(),
    skipReason: z.string().nullable(),
    explanation: z.string().nullable(),
  }),
});
export type VisitJson = z.infer<typeof visitJson>;

/** A visit recorded by POST /visits: 201 when new, 200 when its external id updated one. */
export const visitRecordedJson = z.object({ id: z.string(), created: z.boolean() });
export type VisitRecordedJson = z.output<typeof visitRecordedJson>;

/** A batch recorded by POST /visits/batch: counts, and each visit by its position in the batch. */
export const batchRecordedJson = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  visits: z.array(z.object({ index: z.number().int(), id: z.string(), created: z.boolean() })),
});
export type BatchRecordedJson = z.output<typeof batchRecordedJson>;

/** A contact's visits and rhythm (GET /contacts/:id/visits); the newest 200 visits. */
export const contactVisitsJson = z.object({
  summary: z.object({
    firstVisitAt: z.string().nullable(),
    lastVisitAt: z.string().nullable(),
    visits: z.number().int(),
    revenue: z.number().describe('Euros, paid visits minus refunds'),
    typicalIntervalDays: z.number().nullable(),
    dueAt: z.string().nullable().describe('When the next visit is expected'),
    due: z.boolean().describe('The expected visit is overdue'),
  }),
  visits: z.array(visitJson),
});
export type ContactVisitsJson = z.output<typeof contactVisitsJson>;

/** The invitation sent N days after a visit of chosen kinds (GET and PUT /visit-trigger). */
export const visitTriggerJson = z.object({
  surveyId: z.string().nullable(),
  enabled: z.boolean(),
  kinds: z.array(z.string()).describe('Kinds of visit that invite (empty: every kind)'),
  delayDays: z.number().int(),
  sendAtMinute: z.number().int().describe('Minute of the day the invitation goes out'),
  lateAfterDays: z.number().int().describe('A visit reported later than this invites nobody'),
});
export type VisitTriggerJson = z.output<typeof visitTriggerJson>;
