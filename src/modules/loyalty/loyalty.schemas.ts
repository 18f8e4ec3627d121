import { z } from 'zod';

/** The window of "came back within N days" for the prediction model (default a year). */
export const loyaltyQuerySchema = z.strictObject({
  windowDays: z.coerce.number().int().min(30).max(730).default(365),
});

export const loyaltyTasksQuery = z.strictObject({
  status: z.enum(['open', 'done', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const taskParams = z.strictObject({ id: z.string().min(1).max(100) });

/**
 * A task for an account manager: `lapsed_promoter` — a promoter who did not come back within their
 * usual interval ("tevreden, maar niet teruggekomen").
 */
export const loyaltyTaskJson = z.object({
  id: z.string(),
  kind: z.literal('lapsed_promoter'),
  contact: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  owner: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  score: z.number().int().nullable(),
  lastVisitAt: z.string(),
  intervalDays: z.number().int(),
  expectedAt: z.string(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
});
export type LoyaltyTaskJson = z.infer<typeof loyaltyTaskJson>;
export const loyaltyTaskList = z.object({ items: z.array(loyaltyTaskJson) });

const interval = { low: z.number(), high: z.number() };
const auc = z.object({ estimate: z.number(), stdErr: z.number(), ...interval }).nullable();

/** "Does NPS predict return here?" for the whole business or one segment. */
const predictionJson = z.object({
  verdict: z.enum([
    'not_enough_data',
    'predicts_and_adds',
    'predicts_adds_little',
    'no_evidence',
    'predicts_inversely',
  ]),
  customers: z.number().int(),
  returned: z.number().int(),
  stayedAway: z.number().int(),
  shortBy: z.number().int().describe('Customers with a known outcome still needed (0: enough)'),
  ratio: z
    .object({
      promoterRate: z.number(),
      detractorRate: z.number(),
      promoters: z.number().int(),
      detractors: z.number().int(),
      estimate: z.number(),
      ...interval,
    })
    .nullable()
    .describe('Return rate of promoters over detractors'),
  oddsPerPoint: z
    .object({ estimate: z.number(), ...interval, p: z.number() })
    .nullable()
    .describe('Odds of return per score point (logistic model)'),
  aucScore: auc.describe('AUC of the 0–10 score for return (DeLong interval)'),
  aucPriorVisits: auc.describe('AUC of prior visit frequency alone'),
  aucBoth: auc.describe('AUC of score and prior visits together'),
  gain: z
    .object({
      estimate: z.number(),
      stdErr: z.number(),
      ...interval,
      p: z.number(),
      level: z.number(),
    })
    .nullable()
    .describe('AUC of both minus AUC of prior visits alone'),
});

/** The loyalty report (GET /loyalty). */
export const loyaltyReportJson = z.object({
  generatedAt: z.string(),
  windowDays: z.number().int(),
  minimum: z.object({ customers: z.number().int(), perOutcome: z.number().int() }),
  categories: z.array(
    z.object({
      category: z.enum(['promoter', 'passive', 'detractor', 'non_respondent']),
      customers: z.number().int(),
      returned: z.number().int(),
      medianDays: z.number().nullable(),
      within: z.array(
        z.object({
          days: z.number().int(),
          estimate: z.number().nullable(),
          low: z.number().nullable(),
          high: z.number().nullable(),
        }),
      ),
      revenuePerCustomer: z
        .object({ mean: z.number(), ...interval, customers: z.number().int() })
        .nullable(),
      curve: z
        .array(
          z.object({
            day: z.number(),
            returned: z.number(),
            ...interval,
            atRisk: z.number().int(),
          }),
        )
        .describe('Kaplan–Meier: share returned by day, with Greenwood interval'),
      maxDay: z.number(),
    }),
  ),
  promotersVsDetractors: z
    .object({
      within182: z.object({ estimate: z.number(), ...interval, level: z.number() }).nullable(),
      within365: z.object({ estimate: z.number(), ...interval, level: z.number() }).nullable(),
    })
    .nullable(),
  prediction: predictionJson,
  segments: z.array(predictionJson.extend({ segment: z.string() })),
  earnedGrowth: z.array(
    z.object({
      month: z.string().describe('YYYY-MM'),
      revenue: z.number(),
      returningRevenue: z.number(),
      referredNewRevenue: z.number().describe('Revenue of new customers an ambassador referred'),
      referredNewCustomers: z.number().int(),
      previousRevenue: z.number(),
      returningShareOfPrevious: z
        .number()
        .nullable()
        .describe('Net revenue retention: returning revenue over the previous month’s'),
      referredShareOfPrevious: z.number().nullable(),
      earnedGrowthRate: z
        .number()
        .nullable()
        .describe('Earned growth rate (Net Promoter 3.0): retention + referred share − 1'),
    }),
  ),
});
export type LoyaltyReportJson = z.output<typeof loyaltyReportJson>;
