import { iso } from '../../shared/time.ts';
import type { EmailListRow } from './emails.repository.ts';
import { z } from 'zod';
import { timestamp } from '../../shared/api-schemas.ts';
import { EMAIL_KINDS, EMAIL_STATUSES, MAIL_FAILURES, mailFailureOf } from './email-kinds.ts';
import { EMAIL_SKIP_REASONS, skipReasonOf } from './skip-reasons.ts';

/** An email of the outbox list (see `presentEmailSummary`). */
export const emailSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(EMAIL_KINDS).describe('`invitation`, `reminder`, `user_invite`, `test`, …'),
  invitationId: z.string().nullable(),
  to: z.string(),
  subject: z.string(),
  messageId: z.string().nullable(),
  status: z.enum(EMAIL_STATUSES),
  transport: z.enum(['smtp', 'outbox']).describe('`outbox`: kept in the local outbox, never sent'),
  error: z.string().nullable(),
  failure: z
    .enum(MAIL_FAILURES)
    .nullable()
    .describe(
      'Why the last attempt failed. `sender`: the server refused the sender address (the mail server settings), tried again; `relay`: the server would not take mail for the address from us (relay denied, a login required, a policy: a 5xx at RCPT TO other than 5.1.x), tried again, the customer not suppressed; `rejected`: the server refused the address for good (a hard bounce, never sent again); `refused`: it refused the message for good after its DATA (spam, size, content), failed at once without a retry of its own; `other`: any other cause, or a code this version does not know',
    ),
  skipReason: z
    .enum([...EMAIL_SKIP_REASONS, 'other'])
    .nullable()
    .describe(
      'Why its job decided not to send it after all (`unsubscribed`, `welcome offer expired`, …); `other` for a reason no longer written; null unless skipped',
    ),
  nextAttemptAt: timestamp.nullable(),
  retryable: z.boolean(),
  sentAt: timestamp.nullable(),
  createdAt: timestamp,
});
export type EmailSummaryJson = z.output<typeof emailSummarySchema>;

/** One email with its bodies; personal links are shown with their token masked. */
export const emailSchema = emailSummarySchema.extend({
  headers: z.record(z.string(), z.string()),
  text: z.string(),
  html: z.string(),
});
export type EmailJson = z.output<typeof emailSchema>;

/**
 * Whether a send may be tried again as far as delivery goes: it went to a mail server (never local
 * outbox mail) and is waiting for its next attempt or gave up; never a recipient the server
 * refused, nor a send its job decided against (`failed` without a failure: skipped). Whether it
 * is offered is then the sending module's decision (`MailRetry`, mail-retry.slot.ts).
 */
export function waitsOrGaveUp(row: EmailListRow): boolean {
  const waiting = row.status === 'queued' && row.next_attempt_at !== null;
  const gaveUp = row.status === 'failed' && row.failure !== null && row.failure !== 'rejected';
  return row.transport === 'smtp' && (waiting || gaveUp);
}

/**
 * An email in the outbox list. `failure` says in a stable code why the last attempt failed
 * (`unreachable`, `timeout`, `auth`, `tls`, `sender`, `relay`, `temporary`, `rejected`, `refused`,
 * `other`); `nextAttemptAt` when
 * a failed send is tried again; `retryable` whether staff may try it again now (`waitsOrGaveUp`,
 * and the module that sends its kind agrees: see retry-email.service.ts).
 */
export function presentEmailSummary(row: EmailListRow, retryable: boolean): EmailSummaryJson {
  return {
    id: row.id,
    kind: row.kind,
    invitationId: row.invitation_id,
    to: row.to_address,
    subject: row.subject,
    messageId: row.message_id,
    status: row.status,
    transport: row.transport,
    error: row.error,
    failure: mailFailureOf(row.failure),
    skipReason: row.status === 'failed' && row.failure === null ? skipReasonOf(row.error) : null,
    nextAttemptAt: iso(row.next_attempt_at),
    retryable,
    sentAt: iso(row.sent_at),
    createdAt: iso(row.created_at),
  };
}
