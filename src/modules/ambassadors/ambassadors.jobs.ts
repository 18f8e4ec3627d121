import { z } from 'zod';
import { defineJob } from '../../platform/jobs/define-job.ts';

/** Mail to a person is retried for about a day, as invitations are. */
const mailRetry = (attempt: number): number => Math.min(60 * 60_000, 60_000 * 2 ** (attempt - 1));

/** The invitation to the referral programme: a separate email, never inside the NPS email. */
export const programmeInviteJob = defineJob({
  type: 'ambassadors.invite',
  payload: z.object({ ambassadorId: z.string() }),
  maxAttempts: 12,
  retryDelayMs: mailRetry,
});

/** A friend who left an email address and asked to be contacted: their welcome offer. */
export const friendWelcomeJob = defineJob({
  type: 'ambassadors.friend-welcome',
  payload: z.object({ referralId: z.string() }),
  maxAttempts: 12,
  retryDelayMs: mailRetry,
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
