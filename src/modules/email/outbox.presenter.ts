import { iso } from '../../shared/time.ts';
import type { EmailListRow } from './emails.repository.ts';

/**
 * An email in the outbox list. `failure` says in a stable code why the last attempt failed
 * (`unreachable`, `timeout`, `auth`, `tls`, `temporary`, `rejected`, `other`); `nextAttemptAt` when
 * a failed send is tried again; `retryable` whether staff may try it again now (a send that is
 * waiting or gave up; never a recipient the server refused, nor local outbox mail).
 */
export function presentEmailSummary(row: EmailListRow) {
  const waiting = row.status === 'queued' && row.next_attempt_at !== null;
  const gaveUp = row.status === 'failed' && row.failure !== null && row.failure !== 'rejected';
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
    failure: row.failure,
    nextAttemptAt: iso(row.next_attempt_at),
    retryable:
      row.transport === 'smtp' &&
      row.kind !== 'user_invite' &&
      row.invitation_id !== null &&
      (waiting || gaveUp),
    sentAt: iso(row.sent_at),
    createdAt: iso(row.created_at),
  };
}
