import type { EmailTable } from '../../db/schema.ts';

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
