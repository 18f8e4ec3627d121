import { z } from 'zod';
import { defineJob } from '../../platform/jobs/define-job.ts';
import { MAIL_MAX_ATTEMPTS, mailRetryDelay } from '../email/mail-retry.ts';

/**
 * The invitations module's jobs. Payloads carry the invitation id only; the organisation comes from
 * the job row, so a handler never reads another organisation's invitation. The handlers are bound
 * in `index.ts`.
 */
const invitationPayload = z.object({ invitationId: z.string() });

/** Attempts before an invitation whose mail server keeps failing is marked `failed` (~24 h). */
export const SEND_MAX_ATTEMPTS = MAIL_MAX_ATTEMPTS;

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
