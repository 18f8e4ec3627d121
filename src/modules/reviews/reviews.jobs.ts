import { z } from 'zod';
import { defineJob } from '../../platform/jobs/define-job.ts';

/** Mail to a person is retried for about a day, as invitations are. */
const mailRetry = (attempt: number): number => Math.min(60 * 60_000, 60_000 * 2 ** (attempt - 1));

/**
 * The review-request email of one answer, due the organisation's number of hours after it. It
 * carries the answer's id only: consent, unsubscribes, erasure and earlier requests are read
 * again when it runs.
 */
export const reviewEmailJob = defineJob({
  type: 'reviews.email',
  payload: z.object({ responseId: z.string() }),
  maxAttempts: 12,
  retryDelayMs: mailRetry,
});
