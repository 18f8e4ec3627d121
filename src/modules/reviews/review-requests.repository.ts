import { sql } from 'kysely';
import { isPostgres } from '../../db/dialect.ts';
import type { Executor } from '../../db/database.ts';
import type { Locale, ReviewRequestTable } from '../../db/schema.ts';

/**
 * What the review email's job reads of an answer. Never the score: whether a respondent is asked
 * for a review must not depend on it (no review gating), so the score is not even selected.
 */
export async function findAnswerForReview(
  db: Executor,
  organisationId: string,
  responseId: string,
): Promise<{ contact_id: string | null; may_contact: number; locale: Locale } | undefined> {
  return db
    .selectFrom('responses')
    .select(['contact_id', 'may_contact', 'locale'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', responseId)
    .executeTakeFirst();
}

/** The contact's address, greeting and state, read again when the job runs. */
export async function findContactForReview(
  db: Executor,
  organisationId: string,
  contactId: string,
) {
  return db
    .selectFrom('contacts')
    .select([
      'email',
      'first_name',
      'salutation',
      'language',
      'unsubscribed_at',
      'bounced_at',
      'erased_at',
    ])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', contactId)
    .executeTakeFirst();
}

const REQUEST_COLUMNS = [
  'id',
  'organisation_id',
  'contact_id',
  'response_id',
  'token',
  'message_id',
  'created_at',
  'sent_at',
  'unsubscribed_at',
] as const;
export type ReviewRequestRow = Pick<ReviewRequestTable, (typeof REQUEST_COLUMNS)[number]>;

/** Every review request of a contact, oldest first (few: at most one a year). */
export async function listContactReviewRequests(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<ReviewRequestRow[]> {
  return db
    .selectFrom('review_requests')
    .select(REQUEST_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * Serialises the review-request decisions of one contact until the transaction ends: two answers'
 * jobs running at once must not both pass the once-a-year rule. PostgreSQL takes a
 * transaction-scoped advisory lock (PgBouncer's transaction mode keeps no session); SQLite has one
 * writer and the transaction already holds the only connection.
 */
export async function lockContactReviewRequests(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<void> {
  if (isPostgres(db)) {
    await sql`select pg_advisory_xact_lock(hashtext('review_requests'), hashtext(${`${organisationId}:${contactId}`}))`.execute(
      db,
    );
  }
}

/** Records the request of one answer; a second one for the same answer is ignored (unique). */
export async function insertReviewRequestIfAbsent(
  db: Executor,
  row: ReviewRequestTable,
): Promise<void> {
  await db
    .insertInto('review_requests')
    .values(row)
    .onConflict((oc) => oc.columns(['organisation_id', 'response_id']).doNothing())
    .execute();
}

/** The Message-ID of one answer's review request, if one was made. */
export async function findReviewRequestMessageId(
  db: Executor,
  organisationId: string,
  responseId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('review_requests')
    .select('message_id')
    .where('organisation_id', '=', organisationId)
    .where('response_id', '=', responseId)
    .executeTakeFirst();
  return row?.message_id ?? null;
}

/** The answer of the review request that wrote this Message-ID (the outbox's "try again"). */
export async function findReviewRequestByMessageId(
  db: Executor,
  organisationId: string,
  messageId: string,
): Promise<{ response_id: string | null } | undefined> {
  return db
    .selectFrom('review_requests')
    .select('response_id')
    .where('organisation_id', '=', organisationId)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}

export async function markReviewRequestSent(
  db: Executor,
  organisationId: string,
  id: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('review_requests')
    .set({ sent_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

/** The request behind a one-click unsubscribe link, with what its page needs. */
export async function findReviewRequestByToken(db: Executor, token: string) {
  return db
    .selectFrom('review_requests')
    .innerJoin('organisations', 'organisations.id', 'review_requests.organisation_id')
    .innerJoin('contacts', (j) =>
      j
        .onRef('contacts.id', '=', 'review_requests.contact_id')
        .onRef('contacts.organisation_id', '=', 'review_requests.organisation_id'),
    )
    .select([
      'review_requests.id',
      'review_requests.organisation_id',
      'review_requests.contact_id',
      'review_requests.unsubscribed_at',
      'organisations.name as organisation_name',
      'organisations.settings as organisation_settings',
      'contacts.language as contact_language',
      'contacts.erased_at as contact_erased_at',
    ])
    .where('review_requests.token', '=', token)
    .executeTakeFirst();
}

/** Marks the request unsubscribed; true when it was not yet (so the consent event is written once). */
export async function markReviewRequestUnsubscribed(
  db: Executor,
  organisationId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('review_requests')
    .set({ unsubscribed_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('unsubscribed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Erasure: the contact's requests go (the emails themselves are blanked by message id). */
export async function deleteContactReviewRequests(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<void> {
  await db
    .deleteFrom('review_requests')
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .execute();
}

/**
 * Retention: unlinks up to `limit` requests made before `before` from their answer, so an answer
 * that retention anonymised cannot be tied to its contact through here. The request itself stays:
 * it holds the contact's "no more review requests" and the once-a-year rule.
 */
export async function unlinkReviewRequestsBefore(
  db: Executor,
  organisationId: string,
  before: number,
  limit: number,
): Promise<number> {
  const ids = await db
    .selectFrom('review_requests')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('created_at', '<', before)
    .where('response_id', 'is not', null)
    .limit(limit)
    .execute();
  if (ids.length === 0) return 0;
  await db
    .updateTable('review_requests')
    .set({ response_id: null })
    .where('organisation_id', '=', organisationId)
    .where(
      'id',
      'in',
      ids.map((r) => r.id),
    )
    .execute();
  return ids.length;
}
