import { z } from 'zod';
import {
  REVIEW_EMAIL_MAX_HOURS,
  REVIEW_EMAIL_MIN_HOURS,
} from '../../domain/reviews/review-email.ts';
import { MAX_REVIEW_SITES, reviewSiteSchema } from '../../domain/reviews/review-sites.ts';

/** What staff send to choose the review sites (PUT /api/v1/review-settings). */
export const reviewSettingsInputSchema = z.strictObject({
  sites: z.array(reviewSiteSchema).max(MAX_REVIEW_SITES),
  /** The thank-you page asks respondents who agreed to be contacted. */
  askOnThanks: z.boolean(),
  /**
   * Hours after an answer when the review email goes to a respondent who agreed to be contacted
   * (1–336); null: no review email. Left out: the stored choice stays (24 when never chosen).
   */
  emailAfterHours: z
    .number()
    .int()
    .min(REVIEW_EMAIL_MIN_HOURS)
    .max(REVIEW_EMAIL_MAX_HOURS)
    .nullable()
    .optional(),
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
  emailAfterHours: z
    .number()
    .int()
    .nullable()
    .describe('Hours after an answer when the review email goes; null: no review email'),
  /** The organisation's public page "hoe wij reviews verzamelen", linked from every request. */
  policyUrl: z.string().describe('The public page that discloses how reviews are invited'),
});
export type ReviewSettingsJson = z.output<typeof reviewSettingsSchema>;
