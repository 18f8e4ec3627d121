import { z } from 'zod';
import { defineJob } from '../../platform/jobs/define-job.ts';

/** The owner's alert about a new case (email; the inbox shows the case at once anyway). */
export const caseAlertJob = defineJob({
  type: 'case.alert',
  payload: z.object({ caseId: z.string() }),
  maxAttempts: 10,
});

/** Runs at the case's due time: escalates to the manager if nobody contacted the customer. */
export const caseEscalationJob = defineJob({
  type: 'case.escalate',
  payload: z.object({ caseId: z.string() }),
  maxAttempts: 10,
});

/**
 * After a recovery case is resolved: the customer's one short "is your problem solved?" follow-up
 * invitation, the exception to the frequency rules tied to this case.
 */
export const caseFollowUpJob = defineJob({
  type: 'case.follow-up',
  payload: z.object({ caseId: z.string() }),
  maxAttempts: 10,
});

/**
 * The owner's alert waits this long after the case opens: the one-click score in the email arrives
 * first and the comment and "you may contact me" follow a minute later on the page, so the alert
 * carries what the customer wrote instead of a bare number.
 */
export const ALERT_SETTLE_MS = 2 * 60_000;
