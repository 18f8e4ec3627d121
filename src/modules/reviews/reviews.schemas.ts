import { z } from 'zod';
import { MAX_REVIEW_SITES, reviewSiteSchema } from '../../domain/reviews/review-sites.ts';

/** What staff send to choose the review sites (PUT /api/v1/review-settings). */
export const reviewSettingsInputSchema = z.strictObject({
  sites: z.array(reviewSiteSchema).max(MAX_REVIEW_SITES),
  /** The thank-you page asks respondents who agreed to be contacted. */
  askOnThanks: z.boolean(),
});
export type ReviewSettingsInput = z.output<typeof reviewSettingsInputSchema>;

export const reviewSettingsSchema = z.object({
  sites: z.array(
    z.object({
      kind: z.enum(['google', 'klantenvertellen', 'trustpilot', 'custom']),
      url: z.string(),
      label: z.string().nullable(),
    }),
  ),
  askOnThanks: z.boolean(),
  /** The organisation's public page "hoe wij reviews verzamelen", linked from every request. */
  policyUrl: z.string().describe('The public page that discloses how reviews are invited'),
});
export type ReviewSettingsJson = z.output<typeof reviewSettingsSchema>;
