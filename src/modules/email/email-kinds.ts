import type { EmailTable, MailFailure } from '../../db/schema.ts';

export type EmailKind = EmailTable['kind'];

// Every kind of the table, no more and no fewer: a new kind fails typecheck here until listed.
const kinds: Record<EmailKind, true> = {
  invitation: true,
  reminder: true,
  user_invite: true,
  test: true,
  case_alert: true,
  case_escalation: true,
  ambassador_invite: true,
  friend_welcome: true,
  review_request: true,
  weekly_digest: true,
};

/** Every kind of email Loyaal writes to `emails`, for a schema that validates one (`z.enum`). */
export const EMAIL_KINDS = Object.keys(kinds) as [EmailKind, ...EmailKind[]];

export type EmailStatus = EmailTable['status'];

// Every status of the table, as for the kinds.
const statuses: Record<EmailStatus, true> = { queued: true, sent: true, held: true, failed: true };

/** Every status an email row has (`queued`, `sent`, `held`, `failed`), for `z.enum`. */
export const EMAIL_STATUSES = Object.keys(statuses) as [EmailStatus, ...EmailStatus[]];

// Every failure code of the table, as for the kinds: the admin app maps each to a text of its
// catalogues, so a new code cannot be written without one.
const failures: Record<MailFailure, true> = {
  unreachable: true,
  timeout: true,
  auth: true,
  tls: true,
  sender: true,
  relay: true,
  temporary: true,
  rejected: true,
  refused: true,
  other: true,
};

/** Every code an email's `failure` carries (`unreachable`, …, `refused`, `other`), for `z.enum`. */
export const MAIL_FAILURES = Object.keys(failures) as [MailFailure, ...MailFailure[]];

const knownFailures: ReadonlySet<string> = new Set(MAIL_FAILURES);

/**
 * A stored failure code as the outbox shows it: `other` for a code this version does not know (a
 * row written by a newer version, or a code since renamed), so it never reaches a screen raw.
 */
export function mailFailureOf(stored: string | null): MailFailure | null {
  if (stored === null) return null;
  return knownFailures.has(stored) ? (stored as MailFailure) : 'other';
}
