import { z } from 'zod';
import { defineJob } from '../../platform/jobs/define-job.ts';

/**
 * The invitations module's jobs. Payloads carry the invitation id only; the organisation comes from
 * the job row, so a handler never reads another organisation's invitation. The handlers are bound
 * in `index.ts`.
 */
const invitationPayload = z.object({ invitationId: z.string() });

/**
 * Back-off of a send whose mail server fails: 1, 5, 15 and 30 minutes, then 1, 2, 4 and 8 hours.
 * With SEND_MAX_ATTEMPTS that spans a day, so a mail server that is down for a night delays the
 * invitations instead of failing them (the default back-off gave up after 21 minutes).
 */
const MAIL_RETRY_MINUTES = [1, 5, 15, 30, 60, 120, 240, 480];
export const mailRetryDelay = (attempt: number): number =>
  (MAIL_RETRY_MINUTES[Math.min(Math.max(attempt, 1), MAIL_RETRY_MINUTES.length) - 1] ?? 480) *
  60_000;

/** Attempts before an invitation whose mail server keeps failing is marked `failed` (~24 h). */
export const SEND_MAX_ATTEMPTS = 10;

/** Sends one planned invitation when its wave comes due (re-checking the contact rules). */
export const invitationSendJob = defineJob({
  type: 'invitation.send',
  payload: invitationPayload,
  maxAttempts: SEND_MAX_ATTEMPTS,
  retryDelayMs: mailRetryDelay,
});

/** Sends the one reminder of an invitation, if it is still wanted then. */
export const invitationRemindJob = defineJob({
  type: 'invitation.remind',
  payload: invitationPayload,
  maxAttempts: SEND_MAX_ATTEMPTS,
  retryDelayMs: mailRetryDelay,
});
