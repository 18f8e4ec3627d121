import { z } from 'zod';

/** The window of "came back within N days" for the prediction model (default a year). */
export const loyaltyQuerySchema = z.strictObject({
  windowDays: z.coerce.number().int().min(30).max(730).default(365),
});
