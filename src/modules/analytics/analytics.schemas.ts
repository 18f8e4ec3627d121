import { z } from 'zod';
import { totalParam } from '../../platform/http/validation.ts';
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
  dimension: z.enum(['employee', 'team', 'location', 'segment', 'channel', 'survey', 'account']),
  /** Groups with fewer answers in the period are never ranked on their raw NPS. */
  minimumN: z.coerce.number().int().min(1).max(10_000).default(30),
});
export type BreakdownInput = z.infer<typeof breakdownSchema>;

/** An account manager's own results: a period (default the last 90 days) and the trend's grain. */
export const employeeInsightSchema = z.strictObject({
  from: bound('from').optional(),
  to: bound('to').optional(),
  interval: z.enum(['week', 'month']).default('week'),
});
export type EmployeeInsightInput = z.infer<typeof employeeInsightSchema>;

export const teamInsightSchema = z.strictObject({
  from: bound('from').optional(),
  to: bound('to').optional(),
  minimumN: z.coerce.number().int().min(1).max(10_000).default(30),
});
export type TeamInsightInput = z.infer<typeof teamInsightSchema>;

// ---- Response schemas (what the presenters return; the OpenAPI document is built from them) ----

const intervalJson = z.object({ low: z.number(), high: z.number(), level: z.number() });

export const npsJsonSchema = z.object({
  nps: z.number().nullable(),
  interval: intervalJson.nullable(),
  total: z.number().int(),
  promoters: z.number().int(),
  passives: z.number().int(),
  detractors: z.number().int(),
  shares: z
    .object({
      promoters: z.number().nullable(),
      passives: z.number().nullable(),
      detractors: z.number().nullable(),
    })
    .nullable(),
});

const ref = z.object({ id: z.string(), name: z.string().nullable() });

/** One answer as the results list presents it (employee fields only with per-employee NPS on). */
export const answerJsonSchema = z.object({
  id: z.string(),
  surveyId: z.string(),
  channel: z.enum(['email', 'anonymous']),
  score: z.number().int(),
  category: z.enum(['promoter', 'passive', 'detractor']),
  comment: z.string().nullable(),
  employeeScore: z.number().int().nullable().optional(),
  mayContact: z.boolean(),
  ambassadorOptIn: z.boolean(),
  language: z.string(),
  contact: ref.nullable(),
  employee: ref.nullable().optional(),
  account: ref.nullable(),
  segment: z.string().nullable(),
  answeredAt: z.string(),
  updatedAt: z.string(),
});

const trendPointJson = npsJsonSchema.extend({
  period: z.string(),
  from: z.string(),
  to: z.string(),
});

export const employeeInsightJsonSchema = z.object({
  employee: z.object({ id: z.string(), name: z.string(), team: z.string().nullable() }),
  period: z.object({ from: z.string(), to: z.string() }),
  own: npsJsonSchema,
  previous: npsJsonSchema,
  change: z.object({
    change: z.number().nullable(),
    real: z.boolean(),
    direction: z.enum(['up', 'down', 'none']),
    pValue: z.number().nullable(),
    probabilityOfRise: z.number().nullable(),
  }),
  organisation: npsJsonSchema,
  employeeScore: z
    .object({ mean: z.number(), low: z.number(), high: z.number(), n: z.number().int() })
    .nullable(),
  trend: z.object({
    interval: z.enum(['week', 'month']),
    own: z.array(trendPointJson),
    organisation: z.array(trendPointJson),
  }),
  comments: z.array(answerJsonSchema),
  praise: z.array(answerJsonSchema),
  contactRequests: z.array(answerJsonSchema),
});
export type EmployeeInsightJson = z.infer<typeof employeeInsightJsonSchema>;

export const teamInsightJsonSchema = z.object({
  team: z.string().nullable(),
  period: z.object({ from: z.string(), to: z.string() }),
  minimumN: z.number().int(),
  members: z.array(
    z.object({
      employeeId: z.string(),
      name: z.string(),
      team: z.string().nullable(),
      n: z.number().int(),
      nps: z.number().nullable(),
      interval: intervalJson.nullable(),
      shrunk: z.object({ estimate: z.number(), low: z.number(), high: z.number() }).nullable(),
      belowMinimum: z.boolean(),
    }),
  ),
});
export type TeamInsightJson = z.infer<typeof teamInsightJsonSchema>;

export const themesQuerySchema = z.strictObject({
  from: bound('from').optional(),
  to: bound('to').optional(),
  surveyId: z.uuid().optional(),
});
export type ThemesInput = z.infer<typeof themesQuerySchema>;

const quoteJson = z.object({
  id: z.string(),
  score: z.number().int(),
  category: z.enum(['promoter', 'passive', 'detractor']),
  comment: z.string(),
  sentiment: z.enum(['positive', 'neutral', 'negative']),
  answeredAt: z.string(),
});

export const themesJsonSchema = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  /** Comments analysed (the newest, at most `limit`). */
  analysed: z.number().int(),
  limit: z.number().int(),
  capped: z.boolean(),
  /** True while the organisation uses Loyaal's default dictionary. */
  defaults: z.boolean(),
  dictionary: z.array(
    z.object({
      key: z.string(),
      label: z.object({ nl: z.string(), en: z.string() }),
      terms: z.array(z.string()),
    }),
  ),
  themes: z.array(
    npsJsonSchema.extend({
      key: z.string(),
      label: z.object({ nl: z.string(), en: z.string() }),
      count: z.number().int(),
      positive: z.number().int(),
      negative: z.number().int(),
      quotes: z.array(quoteJson),
    }),
  ),
  withoutTheme: z.number().int(),
  suggestions: z.array(
    z.object({
      term: z.string(),
      example: z.string(),
      detractors: z.number().int(),
      promoters: z.number().int(),
      z: z.number(),
    }),
  ),
});
export type ThemesJson = z.infer<typeof themesJsonSchema>;

/** The first-results summary (GET /results/summary): NPS, distribution and response funnel. */
export const summaryJsonSchema = npsJsonSchema.extend({
  distribution: z.array(z.number().int()).length(11).describe('Answers per score 0..10'),
  funnel: z.object({
    invited: z.number().int(),
    sent: z.number().int(),
    outbox: z
      .number()
      .int()
      .describe('Kept in the local outbox (no mail server): never sent, never delivered'),
    bounced: z.number().int(),
    delivered: z.number().int().describe('Sent minus bounced'),
    clicked: z.number().int().describe('Opened the survey by clicking a score'),
    answered: z.number().int(),
    responseRate: z
      .object({ rate: z.number(), low: z.number(), high: z.number(), level: z.number() })
      .nullable()
      .describe('Answers to delivered invitations, with a Wilson interval'),
  }),
});
export type SummaryJson = z.output<typeof summaryJsonSchema>;

/** NPS per week, month or quarter (GET /results/trend). */
export const trendJsonSchema = z.object({
  interval: z.enum(['week', 'month', 'quarter']),
  points: z.array(trendPointJson),
});
export type TrendJson = z.output<typeof trendJsonSchema>;
export type AnswerJson = z.output<typeof answerJsonSchema>;

const periodJson = z.object({ from: z.string(), to: z.string() });

/** Whether a change in NPS between two periods is real, not noise (a two-sample test). */
const changeJson = z.object({
  change: z.number().nullable().describe('Points, current minus previous'),
  real: z.boolean().describe('Significant at 95%'),
  direction: z.enum(['up', 'down', 'none']),
  pValue: z.number().nullable(),
  probabilityOfRise: z.number().nullable(),
  standardError: z.number().nullable(),
});

/** The first results screen (GET /results/overview). */
export const overviewJsonSchema = npsJsonSchema.extend({
  period: periodJson,
  previousPeriod: periodJson,
  distribution: z.array(z.number().int()).length(11).describe('Answers per score 0..10'),
  previous: npsJsonSchema,
  change: changeJson,
  latestComments: z.array(answerJsonSchema).max(5),
  source: z
    .enum(['daily', 'employee', 'answers'])
    .describe('Where the counts came from: daily or per-employee rollups, or the answers'),
});
export type OverviewJson = z.output<typeof overviewJsonSchema>;

const funnelPositionJson = z.enum(['far-above', 'above', 'within', 'below', 'far-below']);

/** NPS per group of one dimension, with shrinkage, funnel and change (GET /results/breakdown). */
export const breakdownJsonSchema = z.object({
  dimension: breakdownSchema.shape.dimension,
  period: periodJson,
  minimumN: z.number().int(),
  organisation: npsJsonSchema,
  prior: z.object({
    precision: z.number().describe('Weight of the organisation prior, in answers'),
  }),
  change: z.object({
    before: z.number().nullable(),
    after: z.number().nullable(),
    change: z.number().nullable(),
  }),
  groups: z.array(
    z.object({
      key: z.string().describe('Id or value of the group; empty for "none"'),
      label: z.string().nullable(),
      n: z.number().int(),
      nps: z.number().nullable(),
      interval: intervalJson.nullable(),
      shrunk: z
        .object({
          estimate: z.number(),
          low: z.number(),
          high: z.number(),
          ownWeight: z.number(),
        })
        .nullable()
        .describe('Estimate shrunk toward the organisation (empirical Bayes)'),
      belowMinimum: z.boolean().describe('Fewer answers than minimumN: not to be ranked'),
      funnel: funnelPositionJson.nullable(),
      change: z
        .object({
          contribution: z.number(),
          mix: z.number(),
          performance: z.number(),
          standardError: z.number(),
          real: z.boolean(),
          previousNps: z.number().nullable(),
        })
        .nullable()
        .describe("The group's part of the organisation's change since the previous period"),
    }),
  ),
  funnel: z
    .array(
      z.object({
        n: z.number(),
        lower95: z.number(),
        upper95: z.number(),
        lower998: z.number(),
        upper998: z.number(),
      }),
    )
    .describe('Control limits of the funnel plot by group size'),
});
export type BreakdownJson = z.output<typeof breakdownJsonSchema>;
