import { inTransaction } from '../../platform/events/define-event.ts';
import { emailReported } from '../email/email.events.ts';
import { stopDigestsOnReports } from './digest.service.ts';

/**
 * A complaint or hard bounce about a digest (the bounce webhook, through the email module's
 * event) switches that member's digest off in the webhook's own transaction.
 */
export const stopDigestOnReport = inTransaction(
  emailReported,
  'digest.stop-on-report',
  (trx, events, ctx) => stopDigestsOnReports(trx, events, ctx.now),
);
