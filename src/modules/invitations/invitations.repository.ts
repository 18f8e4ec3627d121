import { scopeCondition, type RecordScope } from '../auth/record-scope.ts';
import { sql } from 'kysely';
import { isPostgres } from '../../db/dialect.ts';
import type { Executor } from '../../db/database.ts';
import { organisationOfKeyed } from '../../db/dialect.ts';
import { keysetList } from '../../db/keyset.ts';
import type {
  InvitationStatus,
  InvitationTable,
  Locale,
  SurveySendTable,
} from '../../db/schema.ts';
import { contactStateQuery, type ContactStateRow } from '../contacts/contacts.repository.ts';
import type { ListPage, Listed } from '../../shared/cursor.ts';
import type { InvitationSkipReason } from './invitation-skip-reasons.ts';

/**
 * Invitation statuses that count for the contact-frequency rules: planned, on its way, or sent
 * (a bounced invitation was sent too). Skipped, cancelled and failed ones never reached anybody.
 */
export const COUNTED_STATUSES: readonly InvitationStatus[] = [
  'planned',
  'queued',
  'sent',
  'bounced',
];

export const INVITATION_COLUMNS = [
  'id',
  'organisation_id',
  'survey_id',
  'send_id',
  'contact_id',
  'account_id',
  'token',
  'message_id',
  'status',
  'skip_reason',
  'planned_at',
  'sent_at',
  'clicked_at',
  'responded_at',
  'bounced_at',
  'reminder_planned_at',
  'reminder_sent_at',
  'expires_at',
  'created_at',
] as const;
export type InvitationRow = Pick<InvitationTable, (typeof INVITATION_COLUMNS)[number]>;

export const SEND_COLUMNS = [
  'id',
  'survey_id',
  'selection',
  'schedule',
  'status',
  'planned_count',
  'skipped_count',
  'skip_summary',
  'created_by',
  'created_at',
] as const;
export type SurveySendRow = Pick<SurveySendTable, (typeof SEND_COLUMNS)[number]>;

/**
 * Serialises send planning per organisation: two sends started at the same moment must not both
 * invite the same contact. PostgreSQL takes a transaction-scoped advisory lock (released at commit);
 * SQLite has a single writer and the transaction already holds the only connection.
 */
export async function lockOrganisationForPlanning(
  db: Executor,
  organisationId: string,
): Promise<void> {
  if (isPostgres(db)) {
    await sql`select pg_advisory_xact_lock(hashtext(${organisationId}))`.execute(db);
  }
}

// ---- contacts offered to a send ----

export const CANDIDATE_COLUMNS = [
  'id',
  'name',
  'email',
  'email_key',
  'external_id',
  'language',
  'account_id',
  'consent_status',
  'unsubscribed_at',
  'bounced_at',
  'erased_at',
] as const;

export interface CandidateRow {
  id: string;
  name: string | null;
  email: string | null;
  email_key: string | null;
  external_id: string | null;
  language: Locale;
  account_id: string | null;
  consent_status: 'unknown' | 'granted' | 'withdrawn';
  unsubscribed_at: number | null;
  bounced_at: number | null;
  erased_at: number | null;
}

export interface CandidateFilter {
  organisationId: string;
  segment?: string | undefined;
  ownerEmployeeId?: string | undefined;
  /** Whose customers may be offered: the actor's record scope (system work: all). */
  scope: RecordScope;
  accountId?: string | undefined;
  language?: Locale | undefined;
  emailKeys?: readonly string[] | undefined;
  externalIds?: readonly string[] | undefined;
  contactIds?: readonly string[] | undefined;
}

const CHUNK = 500;

/**
 * Contacts matching a selection, oldest first (the order is the priority of the account budget).
 * Erased, unsubscribed and bounced contacts are included on purpose: the preview explains them.
 */
export async function selectCandidates(
  db: Executor,
  filter: CandidateFilter,
): Promise<CandidateRow[]> {
  const base = () => {
    let q = db
      .selectFrom('contacts')
      .select(CANDIDATE_COLUMNS)
      .where('organisation_id', '=', filter.organisationId);
    if (filter.segment !== undefined) q = q.where('segment', '=', filter.segment);
    if (filter.ownerEmployeeId !== undefined)
      q = q.where('owner_employee_id', '=', filter.ownerEmployeeId);
    q = q.where(scopeCondition('owner_employee_id', filter.scope));
    if (filter.accountId !== undefined) q = q.where('account_id', '=', filter.accountId);
    if (filter.language !== undefined) q = q.where('language', '=', filter.language);
    return q.orderBy('created_at', 'asc').orderBy('id', 'asc');
  };
  if (
    filter.emailKeys === undefined &&
    filter.externalIds === undefined &&
    filter.contactIds === undefined
  ) {
    return base().execute();
  }
  // A list selection: look the keys up in chunks (bind-parameter limits), then merge by id.
  const byId = new Map<string, CandidateRow>();
  const emailKeys = filter.emailKeys ?? [];
  const externalIds = filter.externalIds ?? [];
  const contactIds = filter.contactIds ?? [];
  for (let i = 0; i < contactIds.length; i += CHUNK) {
    for (const row of await base()
      .where('id', 'in', contactIds.slice(i, i + CHUNK))
      .execute())
      byId.set(row.id, row);
  }
  for (let i = 0; i < emailKeys.length; i += CHUNK) {
    for (const row of await base()
      .where('email_key', 'in', emailKeys.slice(i, i + CHUNK))
      .execute())
      byId.set(row.id, row);
  }
  for (let i = 0; i < externalIds.length; i += CHUNK) {
    for (const row of await base()
      .where('external_id', 'in', externalIds.slice(i, i + CHUNK))
      .execute())
      byId.set(row.id, row);
  }
  return [...byId.values()];
}

// ---- history for the frequency rules ----

export interface HistoryRow {
  id: string;
  contact_id: string;
  account_id: string | null;
  planned_at: number;
  sent_at: number | null;
}

/** Every counted invitation of the organisation planned or sent after `since` (planning). */
export async function invitationHistorySince(
  db: Executor,
  organisationId: string,
  since: number,
): Promise<HistoryRow[]> {
  return db
    .selectFrom('invitations')
    .select(['id', 'contact_id', 'account_id', 'planned_at', 'sent_at'])
    .where('organisation_id', '=', organisationId)
    .where('status', 'in', COUNTED_STATUSES)
    .where((eb) => eb.or([eb('planned_at', '>', since), eb('sent_at', '>', since)]))
    .execute();
}

/** Counted invitations of one contact or of its account (the send-time re-check). */
export async function invitationHistoryOf(
  db: Executor,
  organisationId: string,
  contactId: string,
  accountId: string | null,
  since: number,
): Promise<HistoryRow[]> {
  const history = await invitationHistoryOfContacts(
    db,
    organisationId,
    [{ id: contactId, account_id: accountId }],
    since,
  );
  return history.get(contactId) ?? [];
}

/**
 * `invitationHistoryOf` for several contacts at once (a batch of invitations): per contact, its
 * counted invitations and those of its account.
 */
export async function invitationHistoryOfContacts(
  db: Executor,
  organisationId: string,
  contacts: readonly { id: string; account_id: string | null }[],
  since: number,
): Promise<Map<string, HistoryRow[]>> {
  // The contacts' invitations, then the accounts', each read by its own index: one `or` of the two
  // made SQLite read every invitation of the organisation.
  const of = async (column: 'contact_id' | 'account_id', ids: readonly string[]) => {
    const rows: HistoryRow[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      rows.push(
        ...(await db
          .selectFrom('invitations')
          .select(['id', 'contact_id', 'account_id', 'planned_at', 'sent_at'])
          .where('organisation_id', '=', organisationId)
          .where(column, 'in', ids.slice(i, i + 500))
          .where('status', 'in', COUNTED_STATUSES)
          .where((eb) => eb.or([eb('planned_at', '>', since), eb('sent_at', '>', since)]))
          .execute()),
      );
    }
    return rows;
  };
  const accountIds = [
    ...new Set(contacts.flatMap((c) => (c.account_id === null ? [] : [c.account_id]))),
  ];
  const group = (rows: readonly HistoryRow[], key: (r: HistoryRow) => string | null) => {
    const map = new Map<string, HistoryRow[]>();
    for (const row of rows) {
      const k = key(row);
      if (k !== null) map.set(k, [...(map.get(k) ?? []), row]);
    }
    return map;
  };
  const byContact = group(
    await of('contact_id', [...new Set(contacts.map((c) => c.id))]),
    (r) => r.contact_id,
  );
  const byAccount = group(
    accountIds.length > 0 ? await of('account_id', accountIds) : [],
    (r) => r.account_id,
  );
  const history = new Map<string, HistoryRow[]>();
  for (const contact of contacts) {
    const rows = [...(byContact.get(contact.id) ?? [])];
    if (contact.account_id !== null) {
      const seen = new Set(rows.map((r) => r.id));
      for (const row of byAccount.get(contact.account_id) ?? []) {
        if (!seen.has(row.id)) rows.push(row);
      }
    }
    history.set(contact.id, rows);
  }
  return history;
}

/**
 * Several invitations of the organisation by id (a batch of `invitation.send` jobs), by id; read by
 * their keys (`organisationOfKeyed`).
 */
export async function findInvitations(
  db: Executor,
  organisationId: string,
  ids: readonly string[],
): Promise<Map<string, InvitationRow>> {
  const found = new Map<string, InvitationRow>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('invitations')
      .select(INVITATION_COLUMNS)
      .where(organisationOfKeyed(db), '=', organisationId)
      .where('id', 'in', unique.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

/** Which of these invitations are a resolved case's follow-up (`findFollowUpCaseId`, for many). */
export async function followUpInvitationIds(
  db: Executor,
  organisationId: string,
  invitationIds: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < invitationIds.length; i += 500) {
    const rows = await db
      .selectFrom('cases')
      .select('follow_up_invitation_id')
      .where('organisation_id', '=', organisationId)
      .where('follow_up_invitation_id', 'in', invitationIds.slice(i, i + 500))
      .execute();
    for (const row of rows) if (row.follow_up_invitation_id) found.add(row.follow_up_invitation_id);
  }
  return found;
}

/**
 * Latest answer per contact, from any survey and channel: the answers (written by the responses
 * module) and the invitations answered. An answer older than the retention period no longer says
 * who gave it, but its invitation still says it was answered: the rest after an answer
 * (`recentResponseDays`, up to a year) holds for a customer whose answer was anonymised. The
 * invitations are read from `since` on (a year back is all the rest can reach).
 */
export async function lastResponses(
  db: Executor,
  organisationId: string,
  since: number,
  /** Only these contacts' (a batch of invitations); every contact's when omitted. */
  contactIds?: readonly string[],
): Promise<Map<string, number>> {
  const answers = db
    .selectFrom('responses')
    .select((eb) => ['contact_id', eb.fn.max('answered_at').as('last')])
    .where('organisation_id', '=', organisationId)
    .where('contact_id', 'is not', null);
  const answered = db
    .selectFrom('invitations')
    .select((eb) => ['contact_id', eb.fn.max('responded_at').as('last')])
    .where('organisation_id', '=', organisationId)
    .where('responded_at', '>=', since);
  const rows = [];
  if (contactIds === undefined) {
    rows.push(
      ...(await answers.groupBy('contact_id').execute()),
      ...(await answered.groupBy('contact_id').execute()),
    );
  }
  for (let i = 0; contactIds !== undefined && i < contactIds.length; i += 500) {
    const part = contactIds.slice(i, i + 500);
    rows.push(
      ...(await answers.where('contact_id', 'in', part).groupBy('contact_id').execute()),
      ...(await answered.where('contact_id', 'in', part).groupBy('contact_id').execute()),
    );
  }
  const map = new Map<string, number>();
  for (const row of rows) {
    if (row.contact_id === null || row.last === null) continue;
    map.set(row.contact_id, Math.max(map.get(row.contact_id) ?? 0, Number(row.last)));
  }
  return map;
}

/**
 * Which of these invitations have an answer (`hasResponse`, for a batch of reminders); read by
 * the invitations' keys (`organisationOfKeyed`).
 */
export async function answeredInvitationIds(
  db: Executor,
  organisationId: string,
  invitationIds: readonly string[],
): Promise<Set<string>> {
  const answered = new Set<string>();
  for (let i = 0; i < invitationIds.length; i += 500) {
    const rows = await db
      .selectFrom('responses')
      .select('invitation_id')
      .where(organisationOfKeyed(db), '=', organisationId)
      .where('invitation_id', 'in', invitationIds.slice(i, i + 500))
      .execute();
    for (const row of rows) if (row.invitation_id !== null) answered.add(row.invitation_id);
  }
  return answered;
}

export async function hasResponse(
  db: Executor,
  organisationId: string,
  invitationId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('responses')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('invitation_id', '=', invitationId)
    .executeTakeFirst();
  return !!row;
}

// ---- sends ----

export async function insertSurveySend(db: Executor, row: SurveySendTable): Promise<void> {
  await db.insertInto('survey_sends').values(row).execute();
}

export async function findSurveySend(
  db: Executor,
  organisationId: string,
  surveyId: string,
  id: string,
): Promise<SurveySendRow | undefined> {
  return db
    .selectFrom('survey_sends')
    .select(SEND_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('survey_id', '=', surveyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function listSurveySends(
  db: Executor,
  organisationId: string,
  surveyId: string,
  page: ListPage,
): Promise<Listed<SurveySendRow>> {
  const q = db
    .selectFrom('survey_sends')
    .select(SEND_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('survey_id', '=', surveyId);
  return keysetList(q, page);
}

export async function updateSurveySend(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<Pick<SurveySendTable, 'status'>>,
  onlyIf?: readonly SurveySendTable['status'][],
): Promise<void> {
  let q = db
    .updateTable('survey_sends')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id);
  if (onlyIf) q = q.where('status', 'in', onlyIf);
  await q.execute();
}

/** Invitations per status of one send (the delivery funnel of a batch). */
export async function countInvitationsByStatus(
  db: Executor,
  organisationId: string,
  sendId: string,
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('invitations')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('organisation_id', '=', organisationId)
    .where('send_id', '=', sendId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

// ---- invitations ----

export async function insertInvitations(db: Executor, rows: InvitationTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    await db
      .insertInto('invitations')
      .values(rows.slice(i, i + 200))
      .execute();
  }
}

export async function findInvitation(
  db: Executor,
  organisationId: string,
  id: string,
): Promise<InvitationRow | undefined> {
  return db
    .selectFrom('invitations')
    .select(INVITATION_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * What decides, just before its message goes, whether a prepared invitation (or its reminder)
 * still goes: the invitation's status and moments, and the state of the contact it was prepared
 * for (null when that contact is gone), as the contacts module reads it (`contactStateQuery`).
 * One read per message instead of one of each; undefined when the invitation is gone. Both by
 * their keys (`organisationOfKeyed`).
 */
export async function findSendCheck(
  db: Executor,
  organisationId: string,
  invitationId: string,
  contactId: string,
): Promise<
  | {
      invitation: Pick<InvitationRow, 'status' | 'reminder_sent_at' | 'responded_at'>;
      contact: ContactStateRow | null;
    }
  | undefined
> {
  const row = await db
    .selectFrom('invitations as i')
    .leftJoin(contactStateQuery(db, organisationId, contactId).as('c'), (join) => join.onTrue())
    .select([
      'i.status',
      'i.reminder_sent_at',
      'i.responded_at',
      'c.id as contact_id',
      'c.email',
      'c.consent_status',
      'c.unsubscribed_at',
      'c.bounced_at',
      'c.erased_at',
    ])
    .where(organisationOfKeyed(db, 'i.organisation_id'), '=', organisationId)
    .where('i.id', '=', invitationId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { status, reminder_sent_at, responded_at, contact_id, consent_status, ...state } = row;
  return {
    invitation: { status, reminder_sent_at, responded_at },
    contact:
      contact_id === null || consent_status === null
        ? null
        : { id: contact_id, consent_status, ...state },
  };
}

/**
 * The invitation behind a personal link, with what a public page needs to greet the contact in
 * their language. Installation-wide by design: the token (256 bits) is the credential, and the
 * organisation is read from the row.
 */
export async function findInvitationByToken(db: Executor, token: string) {
  return db
    .selectFrom('invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .innerJoin('contacts as c', (join) =>
      join.onRef('c.id', '=', 'i.contact_id').onRef('c.organisation_id', '=', 'i.organisation_id'),
    )
    .select([
      'i.id',
      'i.organisation_id',
      'i.contact_id',
      'i.status',
      'o.name as organisation_name',
      'o.settings as organisation_settings',
      'c.language as contact_language',
      'c.unsubscribed_at',
    ])
    .where('i.token', '=', token)
    .executeTakeFirst();
}

/** An invitation's organisation and Message-ID by its id alone (the installation-wide webhook). */
export async function findInvitationOwnerById(db: Executor, id: string) {
  return db
    .selectFrom('invitations')
    .select(['id', 'organisation_id', 'message_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The bounce webhook's lookup: Message-IDs are unique across the installation. */
export async function findInvitationOwnerByMessageId(db: Executor, messageId: string) {
  return db
    .selectFrom('invitations')
    .select(['id', 'organisation_id'])
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}

/**
 * Updates an invitation, optionally only while it is in one of `onlyIf` statuses (a guard against
 * a concurrent job or webhook). Returns whether a row changed.
 */
export async function updateInvitation(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<
    Pick<
      InvitationTable,
      'status' | 'sent_at' | 'bounced_at' | 'reminder_planned_at' | 'reminder_sent_at'
    > & { skip_reason: InvitationSkipReason | null }
  >,
  onlyIf?: readonly InvitationStatus[],
): Promise<boolean> {
  let q = db
    .updateTable('invitations')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id);
  if (onlyIf) q = q.where('status', 'in', onlyIf);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Marks invitations sent (from planned, queued or failed) with one patch; returns the ids that
 * changed, so only those get a reminder and an `invitation.sent`.
 */
export async function markInvitationsSent(
  db: Executor,
  organisationId: string,
  ids: readonly string[],
  patch: { sent_at: number; reminder_planned_at?: number },
): Promise<string[]> {
  const changed: string[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .updateTable('invitations')
      .set({ status: 'sent', skip_reason: null, ...patch })
      .where(organisationOfKeyed(db), '=', organisationId)
      .where('id', 'in', ids.slice(i, i + 500))
      .where('status', 'in', ['planned', 'queued', 'failed'])
      .returning('id')
      .execute();
    changed.push(...rows.map((r) => r.id));
  }
  return changed;
}

/**
 * Records the reminders of these invitations as sent at `now` (a batch of reminders); returns the
 * ids that changed: a reminder recorded already keeps its moment.
 */
export async function markRemindersSent(
  db: Executor,
  organisationId: string,
  ids: readonly string[],
  now: number,
): Promise<string[]> {
  const changed: string[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .updateTable('invitations')
      .set({ reminder_sent_at: now })
      .where(organisationOfKeyed(db), '=', organisationId)
      .where('id', 'in', ids.slice(i, i + 500))
      .where('reminder_sent_at', 'is', null)
      .returning('id')
      .execute();
    changed.push(...rows.map((r) => r.id));
  }
  return changed;
}

/** Cancels the not-yet-sent invitations of a send; returns how many. */
export async function cancelPlannedInvitations(
  db: Executor,
  organisationId: string,
  sendId: string,
): Promise<number> {
  const result = await db
    .updateTable('invitations')
    .set({ status: 'cancelled' })
    .where('organisation_id', '=', organisationId)
    .where('send_id', '=', sendId)
    .where('status', 'in', ['planned', 'queued'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The invitation columns qualified with the `i` alias, for queries that join the contact. */
const INVITATION_COLUMNS_I = INVITATION_COLUMNS.map((c) => `i.${c}` as const);

/**
 * Invitations of a survey, newest first, within the actor's record scope (an account manager: only
 * invitations of their own customers; the contact is joined within the same organisation).
 */
export async function listInvitations(
  db: Executor,
  organisationId: string,
  filter: {
    surveyId: string;
    sendId?: string | undefined;
    status?: InvitationStatus | undefined;
    /** Whose customers' invitations: the actor's record scope. */
    scope: RecordScope;
  },
  page: ListPage,
): Promise<Listed<InvitationRow>> {
  let q = db
    .selectFrom('invitations as i')
    .leftJoin('contacts as c', (join) =>
      join.onRef('c.id', '=', 'i.contact_id').on('c.organisation_id', '=', organisationId),
    )
    .select(INVITATION_COLUMNS_I)
    .where('i.organisation_id', '=', organisationId)
    .where('i.survey_id', '=', filter.surveyId);
  if (filter.scope.kind !== 'all') q = q.where(scopeCondition('c.owner_employee_id', filter.scope));
  if (filter.sendId) q = q.where('i.send_id', '=', filter.sendId);
  if (filter.status) q = q.where('i.status', '=', filter.status);
  return keysetList(q, page, 'i');
}

/**
 * Retention: replaces the token of up to `limit` invitations whose link expired before `before`
 * with a value no public link can carry (`~` is outside every token pattern), so the old link —
 * answer and unsubscribe alike — identifies nobody any more. Returns how many.
 */
export async function deleteExpiredTokens(
  db: Executor,
  organisationId: string,
  before: number,
  limit: number,
): Promise<number> {
  const rows = await db
    .selectFrom('invitations')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('expires_at', '<', before)
    .where('token', 'not like', '~%')
    .limit(limit)
    .execute();
  if (rows.length === 0) return 0;
  await db
    .updateTable('invitations')
    .set({ token: sql<string>`'~' || id` })
    .where('organisation_id', '=', organisationId)
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.length;
}

/** A contact's invitations, for their AVG/GDPR export. */
export async function listContactInvitations(
  db: Executor,
  organisationId: string,
  contactId: string,
) {
  return db
    .selectFrom('invitations')
    .select(['id', 'survey_id', 'status', 'planned_at', 'sent_at', 'responded_at', 'expires_at'])
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .orderBy('planned_at')
    .orderBy('id')
    .execute();
}

/**
 * The case whose "is it solved?" follow-up this invitation is, if any. The cases module links its
 * follow-up invitation on the case (`cases.follow_up_invitation_id`, indexed); this narrow read is
 * how sending knows the invitation is the rules' one exception.
 */
export async function findFollowUpCaseId(
  db: Executor,
  organisationId: string,
  invitationId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('cases')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('follow_up_invitation_id', '=', invitationId)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Case follow-ups planned or sent since `since`, per contact (what send previews show). */
export async function caseFollowUpsSince(db: Executor, organisationId: string, since: number) {
  return db
    .selectFrom('cases as c')
    .innerJoin('invitations as i', (j) =>
      j
        .onRef('i.id', '=', 'c.follow_up_invitation_id')
        .onRef('i.organisation_id', '=', 'c.organisation_id'),
    )
    .select(['c.id as case_id', 'i.contact_id', 'i.planned_at', 'i.sent_at', 'i.status'])
    .where('c.organisation_id', '=', organisationId)
    .where('i.planned_at', '>', since)
    .execute();
}
