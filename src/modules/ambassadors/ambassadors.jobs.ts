import { z } from 'zod';
import { defineJob } from '../../platform/jobs/define-job.ts';
import { MAIL_MAX_ATTEMPTS, mailRetryDelay } from '../email/mail-retry.ts';

/** The invitation to the referral programme: a separate email, never inside the NPS email. */
export const programmeInviteJob = defineJob({
  type: 'ambassadors.invite',
  payload: z.object({ ambassadorId: z.string() }),
  // Retried for about a day, as every mail to a person is.
  maxAttempts: MAIL_MAX_ATTEMPTS,
  retryDelayMs: mailRetryDelay,
});

/** A friend who left an email address and asked to be contacted: their welcome offer. */
export const friendWelcomeJob = defineJob({
  type: 'ambassadors.friend-welcome',
  payload: z.object({ referralId: z.string() }),
  // Retried for about a day, as every mail to a person is.
  maxAttempts: MAIL_MAX_ATTEMPTS,
  retryDelayMs: mailRetryDelay,
});

/** Issues (or voids) a reward when its hold period is over. */
export const rewardReleaseJob = defineJob({
  type: 'ambassadors.reward-release',
  payload: z.object({ rewardId: z.string() }),
});

/** Daily: releases any reward whose job was lost, and forgets old counter misses. */
export const rewardSweepJob = defineJob({
  type: 'ambassadors.reward-sweep',
  payload: z.object({}),
});
