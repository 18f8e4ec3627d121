import { z } from 'zod';
import { defineJob } from '../../platform/jobs/define-job.ts';
import { MAIL_MAX_ATTEMPTS, mailRetryDelay } from '../email/mail-retry.ts';

/** Monday morning: one compose job per member who wants the digest, for the week that ended. */
export const digestSweepJob = defineJob({
  type: 'digest.sweep',
  payload: z.object({}),
  maxAttempts: 3,
});

/**
 * One member's digest of one ISO week (`2026-W48`). The organisation is the job row's; the
 * member and the week are in the payload and in the dedupe key, so a member gets one per week.
 * A mail server that fails is tried again for about a day, as invitations are: an outage on
 * Monday morning delays the digest instead of losing it.
 */
export const composeDigestJob = defineJob({
  type: 'digest.compose',
  payload: z.object({
    membershipId: z.string(),
    week: z.string().regex(/^\d{4}-W\d{2}$/),
  }),
  maxAttempts: MAIL_MAX_ATTEMPTS,
  retryDelayMs: mailRetryDelay,
});
