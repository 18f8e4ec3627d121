import type { Executor } from '../../db/database.ts';
import { organisationOfKeyed } from '../../db/dialect.ts';
import { keysetList } from '../../db/keyset.ts';
import { sql, type ExpressionBuilder } from 'kysely';
import type { Database, EmailTable, MailFailure } from '../../db/schema.ts';
import type { ListPage, Listed } from '../../shared/cursor.ts';
import { skippedError, type EmailSkipReason } from './skip-reasons.ts';

/** Columns of the outbox list; bodies are read only for one email at a time. */
export const EMAIL_LIST_COLUMNS = [
  'id',
  'kind',
  'invitation_id',
  'to_address',
  'subject',
  'message_id',
  'status',
  'transport',
  'error',
  'failure',
  'next_attempt_at',
  'sent_at',
  'created_at',
] as const;

export const EMAIL_COLUMNS = [
  ...EMAIL_LIST_COLUMNS,
  'organisation_id',
  'text_body',
  'html_body',
  'headers',
] as const;

export type EmailListRow = Pick<EmailTable, (typeof EMAIL_LIST_COLUMNS)[number]>;
export type EmailRow = Pick<EmailTable, (typeof EMAIL_COLUMNS)[number]>;

/**
 * The failures that are final for the job that sends a mail: the server refused its recipient or
 * the message for good (a 5xx answer, which RFC 5321 says must not be repeated as it is). Only a
 * person's "try again" in the outbox sends such a mail again — never a recipient refused.
 */
export const FINAL_FAILURES = ['rejected', 'refused'] as const satisfies readonly MailFailure[];

/** Whether the server refused this mail for good (`FINAL_FAILURES`): its job never sends it again. */
export function refusedForGood(row: Pick<EmailTable, 'status' | 'failure'>): boolean {
  return (
    row.status === 'failed' &&
    row.failure !== null &&
    (FINAL_FAILURES as readonly MailFailure[]).includes(row.failure)
  );
}

/**
 * Writes a composed email unless one with the same Message-ID exists: a job that runs again after a
 * crash finds the row it wrote before and sends that, instead of composing a second message. The
 * row's id is derived from its Message-ID (`emailId`, email-ids.ts), so two attempts at once meet on
 * the primary key — the one unique key a partitioned `emails` keeps (PostgreSQL); on SQLite the
 * unique index on `message_id` still holds too. No conflict target: either key settles it.
 * Returns whether this call inserted it.
 */
export async function insertEmailIfAbsent(db: Executor, row: EmailTable): Promise<boolean> {
  const result = await db
    .insertInto('emails')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * `insertEmailIfAbsent` for the emails a batch composed (a batch of invitations or reminders), in
 * one statement per hundred: each row is written unless its message's row exists, settled by the
 * same keys. Returns the ids of the rows this call wrote; a row left out is its message's row that
 * another attempt wrote first.
 */
export async function insertEmailsIfAbsent(
  db: Executor,
  rows: readonly EmailTable[],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += 100) {
    const written = await db
      .insertInto('emails')
      .values(rows.slice(i, i + 100))
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    for (const { id } of written) inserted.add(id);
  }
  return inserted;
}

/**
 * Writes a message composed again over its row while it has not gone out (`queued`, `held`, or
 * `failed` and about to be tried again): a send that failed and is tried again carries what is
 * true now — the offer, the texts, the links, the address as they are at this attempt — under the
 * same row and Message-ID. A row sent, or refused for good, is never touched.
 */
export async function recomposeUnsentEmail(
  db: Executor,
  organisationId: string,
  id: string,
  composed: Pick<EmailTable, 'to_address' | 'subject' | 'text_body' | 'html_body' | 'headers'>,
): Promise<void> {
  await db
    .updateTable('emails')
    .set(composed)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('status', '<>', 'sent')
    .where((eb) =>
      eb.or([
        eb('status', '<>', 'failed'),
        eb('failure', 'is', null),
        eb('failure', 'not in', [...FINAL_FAILURES]),
      ]),
    )
    .execute();
}

/**
 * The email of a Message-ID. Should a second row of one message exist (PostgreSQL keeps no unique
 * index on `message_id` across partitions), the first composed is the one: every sender then sends
 * and updates that same row.
 */
export async function findEmailByMessageId(
  db: Executor,
  organisationId: string,
  messageId: string,
): Promise<EmailRow | undefined> {
  return db
    .selectFrom('emails')
    .select(EMAIL_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('message_id', '=', messageId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/**
 * `findEmailByMessageId` for several Message-IDs at once (a batch of invitations), read by the
 * Message-IDs (`organisationOfKeyed`); of a Message-ID written twice, the first, as the single
 * lookup takes it.
 */
export async function findEmailsByMessageIds(
  db: Executor,
  organisationId: string,
  messageIds: readonly string[],
): Promise<Map<string, EmailRow>> {
  const rows: EmailRow[] = [];
  for (let i = 0; i < messageIds.length; i += 500) {
    rows.push(
      ...(await db
        .selectFrom('emails')
        .select(EMAIL_COLUMNS)
        .where(organisationOfKeyed(db), '=', organisationId)
        .where('message_id', 'in', messageIds.slice(i, i + 500))
        .execute()),
    );
  }
  rows.sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const found = new Map<string, EmailRow>();
  for (const row of rows) if (!found.has(row.message_id)) found.set(row.message_id, row);
  return found;
}

/**
 * The installation-wide lookup of the bounce webhook: a Message-ID is unique across organisations,
 * and the organisation is read from the row that matches.
 */
export async function findEmailOwnerByMessageId(db: Executor, messageId: string) {
  return db
    .selectFrom('emails')
    .select(['id', 'organisation_id', 'invitation_id', 'kind', 'to_address'])
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}

export async function updateEmail(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<
    Pick<EmailTable, 'status' | 'sent_at' | 'error' | 'failure' | 'next_attempt_at' | 'transport'>
  >,
): Promise<void> {
  await db
    .updateTable('emails')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

/**
 * Marks emails sent that a mail server accepted: those not marked yet (a message recorded as sent
 * the moment it was accepted keeps that moment).
 */
export async function markEmailsSent(
  db: Executor,
  organisationId: string,
  ids: readonly string[],
  now: number,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('emails')
      .set({ status: 'sent', sent_at: now, error: null, failure: null, next_attempt_at: null })
      .where(organisationOfKeyed(db), '=', organisationId)
      .where('id', 'in', ids.slice(i, i + 500))
      .where('status', '<>', 'sent')
      .execute();
  }
}

/**
 * Gives up the mails of one kind whose Message-ID starts with `messageIdPrefix` (one cause: a
 * case's alert, to each of its recipients) that never left, because the job sending them ran out of
 * attempts: `failed`, keeping why the last attempt failed. Says why each failed, and how many of
 * the cause's mails did go out.
 */
export async function giveUpQueuedEmails(
  db: Executor,
  organisationId: string,
  kind: EmailTable['kind'],
  messageIdPrefix: string,
): Promise<{ failures: MailFailure[]; sent: number }> {
  // LIKE's wildcards (and SQLite's lack of a default escape character) stay out of the prefix.
  if (/[%_\\]/.test(messageIdPrefix)) throw new Error(`not a plain prefix: ${messageIdPrefix}`);
  const rows = await db
    .selectFrom('emails')
    .select(['id', 'status', 'failure'])
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', kind)
    .where('message_id', 'like', `${messageIdPrefix}%`)
    .execute();
  const failures: MailFailure[] = [];
  for (const row of rows.filter((r) => r.status === 'queued')) {
    failures.push(await giveUp(db, organisationId, row));
  }
  return { failures, sent: rows.filter((r) => r.status === 'sent').length };
}

/**
 * Gives up the mail of one Message-ID if it never left (`queued`): its job ran out of attempts.
 * `failed`, keeping why the last attempt failed; says so, or null when there was nothing to give up
 * (no such row, or it was sent, held or failed already).
 */
export async function giveUpQueuedEmail(
  db: Executor,
  organisationId: string,
  messageId: string,
): Promise<MailFailure | null> {
  const row = await findEmailByMessageId(db, organisationId, messageId);
  return row?.status === 'queued' ? giveUp(db, organisationId, row) : null;
}

async function giveUp(
  db: Executor,
  organisationId: string,
  row: Pick<EmailTable, 'id' | 'failure'>,
): Promise<MailFailure> {
  const failure = row.failure ?? 'other';
  await db
    .updateTable('emails')
    .set({ status: 'failed', failure, next_attempt_at: null })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', row.id)
    .where('status', '=', 'queued')
    .execute();
  return failure;
}

/**
 * Closes an invitation's email of one kind as failed, without a retry (`failure` and
 * `next_attempt_at` cleared, so the outbox offers none), while it is still `queued`: an attempt
 * that decided not to send it after an earlier attempt composed it. A sent row is never touched.
 */
export async function closeQueuedEmail(
  db: Executor,
  organisationId: string,
  invitationId: string,
  kind: 'invitation' | 'reminder',
  reason: EmailSkipReason,
): Promise<void> {
  await db
    .updateTable('emails')
    .set({ status: 'failed', error: skippedError(reason), failure: null, next_attempt_at: null })
    .where('organisation_id', '=', organisationId)
    .where('invitation_id', '=', invitationId)
    .where('kind', '=', kind)
    .where('status', '=', 'queued')
    .execute();
}

/**
 * Closes the email of one Message-ID as failed, without a retry (`failure` and `next_attempt_at`
 * cleared, so the outbox offers none), while it is still `queued`: a later attempt of its job
 * decided not to send it (`skipped: <reason>` in `error`). A sent row is never touched.
 */
export async function closeQueuedEmailByMessageId(
  db: Executor,
  organisationId: string,
  messageId: string,
  reason: EmailSkipReason,
): Promise<void> {
  await db
    .updateTable('emails')
    .set({ status: 'failed', error: skippedError(reason), failure: null, next_attempt_at: null })
    .where('organisation_id', '=', organisationId)
    .where('message_id', '=', messageId)
    .where('status', '=', 'queued')
    .execute();
}

export async function listEmails(
  db: Executor,
  organisationId: string,
  filter: {
    transport?: EmailTable['transport'] | undefined;
    invitationId?: string | undefined;
    kind?: EmailTable['kind'] | undefined;
    status?: EmailTable['status'] | undefined;
    /** Staff mail only when sent to this address (`staffMailReader`); all of it when absent. */
    staffMailTo?: string | undefined;
  },
  page: ListPage,
): Promise<Listed<EmailListRow>> {
  let q = db
    .selectFrom('emails')
    .select(EMAIL_LIST_COLUMNS)
    .where('organisation_id', '=', organisationId);
  if (filter.staffMailTo !== undefined) q = q.where(staffMailOnlyTo(filter.staffMailTo));
  if (filter.transport) q = q.where('transport', '=', filter.transport);
  if (filter.invitationId) q = q.where('invitation_id', '=', filter.invitationId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.status) q = q.where('status', '=', filter.status);
  // Names the predicate of the index of emails not sent (migration 0061) as written: SQLite uses a
  // partial index only for a query that states its predicate, and does not infer it from `= 'failed'`.
  if (filter.status && filter.status !== 'sent') q = q.where(sql<boolean>`status <> 'sent'`);
  return keysetList(q, page);
}

export async function findEmail(
  db: Executor,
  organisationId: string,
  id: string,
  staffMailTo?: string,
): Promise<EmailRow | undefined> {
  let q = db
    .selectFrom('emails')
    .select(EMAIL_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id);
  if (staffMailTo !== undefined) q = q.where(staffMailOnlyTo(staffMailTo));
  return q.executeTakeFirst();
}

/** Customer mail, or staff mail sent to this address (compared without case). */
function staffMailOnlyTo(address: string) {
  return (eb: ExpressionBuilder<Database, 'emails'>) =>
    eb.or([
      eb('kind', 'in', CUSTOMER_MAIL_KINDS),
      eb(eb.fn('lower', ['to_address']), '=', address.toLowerCase()),
    ]);
}

/** The emails to customers; staff mail (invites, alerts, digests, tests) is nobody's contact's. */
const CUSTOMER_MAIL_KINDS: readonly EmailTable['kind'][] = [
  'invitation',
  'reminder',
  'ambassador_invite',
  'friend_welcome',
  'review_request',
];

/**
 * A contact's emails: those of their invitations, and every customer email to their address (the
 * programme invitation, a friend's welcome, a review request belong to no invitation). Finds them
 * by the contact's address, so erasure must look before the `contact` holder clears it. Two
 * conditions, each served by an index of its own (`emails_org_invitation`, `emails_org_to_address`):
 * an `or` of the two is served by none, and SQLite then read every email of the organisation.
 */
const ofContactInvitations =
  (db: Executor, organisationId: string, contactId: string) =>
  (eb: ExpressionBuilder<Database, 'emails'>) =>
    eb(
      'emails.invitation_id',
      'in',
      db
        .selectFrom('invitations')
        .select('invitations.id')
        .where('invitations.organisation_id', '=', organisationId)
        .where('invitations.contact_id', '=', contactId),
    );

const toContactAddress =
  (db: Executor, organisationId: string, contactId: string) =>
  (eb: ExpressionBuilder<Database, 'emails'>) =>
    eb.and([
      eb('emails.kind', 'in', CUSTOMER_MAIL_KINDS),
      eb(
        eb.fn('lower', ['emails.to_address']),
        '=',
        db
          .selectFrom('contacts')
          .select((c) => c.fn<string>('lower', ['contacts.email']).as('email'))
          .where('contacts.organisation_id', '=', organisationId)
          .where('contacts.id', '=', contactId),
      ),
    ]);

/** A contact's emails (both conditions above) for their AVG/GDPR export, oldest first. */
export async function listContactEmails(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<Pick<EmailTable, 'id' | 'kind' | 'to_address' | 'subject' | 'status' | 'sent_at'>[]> {
  const part = (condition: ReturnType<typeof toContactAddress>) =>
    db
      .selectFrom('emails')
      .select([
        'emails.id',
        'emails.kind',
        'emails.to_address',
        'emails.subject',
        'emails.status',
        'emails.sent_at',
        'emails.created_at',
      ])
      .where('emails.organisation_id', '=', organisationId)
      .where(condition);
  // `union` drops an email found both ways (an invitation's, to the contact's address).
  const both = part(ofContactInvitations(db, organisationId, contactId))
    .union(part(toContactAddress(db, organisationId, contactId)))
    .as('e');
  return db
    .selectFrom(both)
    .select(['e.id', 'e.kind', 'e.to_address', 'e.subject', 'e.status', 'e.sent_at'])
    .orderBy('e.created_at')
    .orderBy('e.id')
    .execute();
}

/**
 * Blanks what identifies the contact in their emails (AVG/GDPR erasure): address, subject, bodies
 * (name, personal links) and headers (unsubscribe link). Kind, status and times stay, so the
 * outbox and send counts keep adding up. Must run while the contact still has its address.
 */
export async function eraseContactEmails(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<void> {
  for (const condition of [
    ofContactInvitations(db, organisationId, contactId),
    toContactAddress(db, organisationId, contactId),
  ]) {
    await db
      .updateTable('emails')
      .set({ to_address: 'erased', subject: '', text_body: '', html_body: '', headers: '{}' })
      .where('emails.organisation_id', '=', organisationId)
      .where(condition)
      .execute();
  }
}

/** Blanks the bodies and headers (personal links, greeting) of up to `limit` emails sent before `before`. */
export async function deleteEmailBodiesBefore(
  db: Executor,
  organisationId: string,
  before: number,
  limit: number,
): Promise<number> {
  const ids = await db
    .selectFrom('emails')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('created_at', '<', before)
    .where((eb) => eb.or([eb('html_body', '<>', ''), eb('text_body', '<>', '')]))
    .limit(limit)
    .execute();
  if (ids.length === 0) return 0;
  await db
    .updateTable('emails')
    .set({ text_body: '', html_body: '', headers: '{}' })
    .where('organisation_id', '=', organisationId)
    .where(
      'id',
      'in',
      ids.map((r) => r.id),
    )
    .execute();
  return ids.length;
}

/** Blanks the address and subject of up to `limit` emails sent before `before` (retention). */
export async function anonymiseEmailsBefore(
  db: Executor,
  organisationId: string,
  before: number,
  limit: number,
): Promise<number> {
  const ids = await db
    .selectFrom('emails')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('created_at', '<', before)
    .where('to_address', '<>', 'erased')
    .limit(limit)
    .execute();
  if (ids.length === 0) return 0;
  await db
    .updateTable('emails')
    .set({ to_address: 'erased', subject: '' })
    .where('organisation_id', '=', organisationId)
    .where(
      'id',
      'in',
      ids.map((r) => r.id),
    )
    .execute();
  return ids.length;
}

/**
 * Blanks emails found by their Message-ID (AVG/GDPR erasure of mail that belongs to no
 * invitation: a module that sent it keeps the ids, e.g. the review requests). Rows stay.
 */
/** The status of each email of these Message-IDs in the organisation (absent: not written yet). */
export async function emailStatusesByMessageId(
  db: Executor,
  organisationId: string,
  messageIds: readonly string[],
): Promise<Map<string, EmailTable['status']>> {
  if (messageIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('emails')
    .select(['message_id', 'status'])
    .where('organisation_id', '=', organisationId)
    .where('message_id', 'in', [...messageIds])
    .execute();
  return new Map(rows.map((r) => [r.message_id, r.status]));
}

export async function eraseEmailsByMessageId(
  db: Executor,
  organisationId: string,
  messageIds: readonly string[],
): Promise<void> {
  if (messageIds.length === 0) return;
  await db
    .updateTable('emails')
    .set({ to_address: 'erased', subject: '', text_body: '', html_body: '', headers: '{}' })
    .where('organisation_id', '=', organisationId)
    .where('message_id', 'in', [...messageIds])
    .execute();
}
