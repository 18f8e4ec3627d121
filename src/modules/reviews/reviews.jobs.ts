import { z } from 'zod';
import { defineJob } from '../../platform/jobs/define-job.ts';
import { MAIL_MAX_ATTEMPTS, mailRetryDelay } from '../email/mail-retry.ts';

/**
 * The review-request email of one answer, due the organisation's number of hours after it. It
 * carries the answer's id only: consent, unsubscribes, erasure and earlier requests are read
 * again when it runs.
 */
export const reviewEmailJob = defineJob({
  type: 'reviews.email',
  payload: z.object({ responseId: z.string() }),
  // Retried for about a day, as every mail to a person is.
  maxAttempts: MAIL_MAX_ATTEMPTS,
  retryDelayMs: mailRetryDelay,
});
