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
