import { sql } from 'kysely';
import { isPostgres } from '../../db/dialect.ts';
import type { Executor } from '../../db/database.ts';
import type { CaseEventTable, CaseResponseTable, CaseTable } from '../../db/schema.ts';
import { executeTogether, type PendingWrite } from '../../db/writes-together.ts';

/**
 * The cases module's SQL. Every function takes the executor first (database or transaction) and
 * the organisation id; columns are named. Reads of contacts, responses, employees and users for a
 * case's screen are here too, as narrow joins keyed by the case's organisation: the case screen is
 * this module's view of them.
 */
export const CASE_COLUMNS = [
  'id',
  'organisation_id',
  'contact_id',
  'kind',
  'status',
  'priority',
  'reasons',
  'owner_employee_id',
  'owner_rule',
  'team',
  'response_id',
  'survey_id',
  'opened_score',
  'opened_category',
  'opened_at',
  'due_at',
  'first_contact_at',
  'escalated_at',
  'alerted_at',
  'closed_at',
  'follow_up_invitation_id',
  'follow_up_score',
  'follow_up_at',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof CaseTable)[];

export type CaseRow = Pick<CaseTable, (typeof CASE_COLUMNS)[number]>;

const ACTIVE = ['open', 'contacted'] as const;

/** Rows per statement of the batched reads and writes (an answer batch's). */
const CHUNK = 500;

export async function findCase(db: Executor, organisationId: string, id: string) {
  return db
    .selectFrom('cases')
    .select(CASE_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The case a response belongs to (opened by it or joined), most recent first. */
export async function findCaseOfResponse(db: Executor, organisationId: string, responseId: string) {
  return db
    .selectFrom('case_responses as cr')
    .innerJoin('cases as c', 'c.id', 'cr.case_id')
    .select(['c.id', 'c.kind', 'c.status'])
    .where('cr.organisation_id', '=', organisationId)
    .where('cr.response_id', '=', responseId)
    .orderBy('cr.linked_at', 'desc')
    .orderBy('c.id', 'desc')
    .executeTakeFirst();
}

/**
 * Inserts many cases in one statement, each unless its contact already has an active case (a
 * concurrent transaction may have opened one since the batch read them): the partial unique index
 * decides per row. Returns the ids written; the caller joins the active case for the others.
 */
export async function insertCasesIfNoActive(
  db: Executor,
  rows: readonly CaseTable[],
): Promise<Set<string>> {
  const written = new Set<string>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const inserted = await db
      .insertInto('cases')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc
          .columns(['organisation_id', 'contact_id'])
          // Literal, not parameters: SQLite matches the partial index by its exact expression.
          .where(sql<boolean>`status in ('open', 'contacted')`)
          .doNothing(),
      )
      .returning('id')
      .execute();
    for (const r of inserted) written.add(r.id);
  }
  return written;
}

/** A contact's active case, whole (the one a batch's case joins when its own insert lost). */
export async function findActiveCaseRowOfContact(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<CaseRow | undefined> {
  return db
    .selectFrom('cases')
    .select(CASE_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .where('status', 'in', ACTIVE)
    .executeTakeFirst();
}

export async function updateCase(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<Omit<CaseTable, 'id' | 'organisation_id'>>,
  onlyIfStatusIn?: readonly CaseTable['status'][],
): Promise<boolean> {
  let q = db
    .updateTable('cases')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id);
  if (onlyIfStatusIn) q = q.where('status', 'in', onlyIfStatusIn);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Records a case's escalation once: sets `escalated_at` only while the case is open and not yet
 * escalated, and says whether this call set it. Two escalation jobs of one case that run at once
 * both read it unescalated; the database lets one of them through.
 */
export async function markEscalated(
  db: Executor,
  organisationId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('cases')
    .set({ escalated_at: now, updated_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('escalated_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function hasCaseEvent(
  db: Executor,
  organisationId: string,
  id: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('case_events')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

export async function linkResponse(
  db: Executor,
  row: { organisation_id: string; case_id: string; response_id: string; linked_at: number },
): Promise<void> {
  await db
    .insertInto('case_responses')
    .values(row)
    .onConflict((oc) => oc.columns(['case_id', 'response_id']).doNothing())
    .execute();
}

export async function insertCaseEvent(db: Executor, row: CaseEventTable): Promise<void> {
  await db.insertInto('case_events').values(row).execute();
}

/**
 * What an answer batch writes of cases once the cases it opens exist: answers linked to cases,
 * joined cases' new priorities (ids sorted, per organisation and priority), log lines.
 */
export interface CaseBatchWrites {
  links: readonly CaseResponseTable[];
  priorities: ReadonlyArray<{
    organisationId: string;
    priority: CaseTable['priority'];
    ids: readonly string[];
  }>;
  log: readonly CaseEventTable[];
  updatedAt: number;
}

/**
 * Writes `CaseBatchWrites`: on PostgreSQL in one statement (`executeTogether`: the links, the
 * priority updates and the log lines need not see each other's rows, and no row is written
 * twice), on SQLite one statement each.
 */
export async function writeCaseBatch(db: Executor, writes: CaseBatchWrites): Promise<void> {
  const pending: PendingWrite[] = [];
  for (let i = 0; i < writes.links.length; i += CHUNK) {
    pending.push(
      db
        .insertInto('case_responses')
        .values(writes.links.slice(i, i + CHUNK))
        .onConflict((oc) => oc.columns(['case_id', 'response_id']).doNothing()),
    );
  }
  for (const { organisationId, priority, ids } of writes.priorities) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      pending.push(
        db
          .updateTable('cases')
          .set({ priority, updated_at: writes.updatedAt })
          .where('organisation_id', '=', organisationId)
          .where('id', 'in', ids.slice(i, i + CHUNK)),
      );
    }
  }
  for (let i = 0; i < writes.log.length; i += CHUNK) {
    pending.push(db.insertInto('case_events').values(writes.log.slice(i, i + CHUNK)));
  }
  await executeTogether(db, pending);
}

/**
 * The case each of these responses belongs to (opened by it or joined; the most recent link, as
 * `findCaseOfResponse`), for many edited answers at once. Keyed by response id.
 */
export async function findCasesOfResponses(
  db: Executor,
  organisationId: string,
  responseIds: readonly string[],
): Promise<Map<string, CaseRow>> {
  const found = new Map<string, CaseRow>();
  for (let i = 0; i < responseIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('case_responses as cr')
      .innerJoin('cases as c', 'c.id', 'cr.case_id')
      .select(CASE_COLUMNS.map((column) => `c.${column}` as const))
      .select('cr.response_id as linked_response_id')
      .where('cr.organisation_id', '=', organisationId)
      .where('cr.response_id', 'in', responseIds.slice(i, i + CHUNK))
      .orderBy('cr.linked_at', 'desc')
      .orderBy('c.id', 'desc')
      .execute();
    for (const { linked_response_id: responseId, ...row } of rows) {
      if (!found.has(responseId)) found.set(responseId, row);
    }
  }
  return found;
}

/**
 * The organisation as `findOrganisationForCases` reads it, and which of these invitations are a
 * case's follow-up question: an answer batch's first two lookups of cases in one read (the
 * organisation's row once per follow-up found, or once alone). `org` is undefined for an unknown
 * organisation.
 */
export async function findOrganisationWithFollowUps(
  db: Executor,
  organisationId: string,
  invitationIds: readonly string[],
): Promise<{
  org: Awaited<ReturnType<typeof findOrganisationForCases>>;
  followUps: Set<string>;
}> {
  if (invitationIds.length === 0) {
    return { org: await findOrganisationForCases(db, organisationId), followUps: new Set() };
  }
  let org: Awaited<ReturnType<typeof findOrganisationForCases>>;
  const followUps = new Set<string>();
  for (let i = 0; i < invitationIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('organisations as o')
      .leftJoin('cases as k', (j) =>
        j
          .onRef('k.organisation_id', '=', 'o.id')
          .on('k.follow_up_invitation_id', 'in', invitationIds.slice(i, i + CHUNK)),
      )
      .select(['o.id', 'o.name', 'o.locale', 'o.settings', 'k.follow_up_invitation_id'])
      .where('o.id', '=', organisationId)
      .execute();
    for (const { follow_up_invitation_id: followUp, ...row } of rows) {
      org = row;
      if (followUp !== null) followUps.add(followUp);
    }
  }
  return { org, followUps };
}

export async function listCaseEvents(db: Executor, organisationId: string, caseId: string) {
  return db
    .selectFrom('case_events as e')
    .leftJoin('users as u', 'u.id', 'e.user_id')
    .select(['e.id', 'e.at', 'e.type', 'e.user_id', 'u.name as user_name', 'e.body', 'e.detail'])
    .where('e.organisation_id', '=', organisationId)
    .where('e.case_id', '=', caseId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
}

export type CaseListFilter = {
  status: 'active' | 'closed' | 'all';
  kind: 'recovery' | 'thanks' | null;
  /** Only cases of this employee (an account manager; "mine"). */
  ownerEmployeeId: string | null;
  /** Only cases of this team (a manager with a team). */
  team: string | null;
  unassigned: boolean;
  /** Only open cases due at or before this moment (the "overdue" filter). */
  overdueAt: number | null;
  limit: number;
};

/** The inbox: active cases by due time (overdue first), closed ones most recent first. */
function caseListQuery(
  db: Executor,
  organisationId: string,
  filter: Omit<CaseListFilter, 'limit'>,
) {
  let q = db.selectFrom('cases as c').where('c.organisation_id', '=', organisationId);
  if (filter.status === 'active') q = q.where('c.status', 'in', ACTIVE);
  if (filter.status === 'closed') q = q.where('c.status', 'not in', ACTIVE);
  if (filter.kind) q = q.where('c.kind', '=', filter.kind);
  if (filter.ownerEmployeeId !== null)
    q = q.where('c.owner_employee_id', '=', filter.ownerEmployeeId);
  if (filter.team !== null) q = q.where('c.team', '=', filter.team);
  if (filter.unassigned) q = q.where('c.owner_employee_id', 'is', null);
  if (filter.overdueAt !== null) {
    q = q.where('c.status', '=', 'open').where('c.due_at', '<=', filter.overdueAt);
  }
  return q;
}

export async function listCases(db: Executor, organisationId: string, filter: CaseListFilter) {
  let q = caseListQuery(db, organisationId, filter)
    .leftJoin('contacts as ct', (j) =>
      j.onRef('ct.id', '=', 'c.contact_id').onRef('ct.organisation_id', '=', 'c.organisation_id'),
    )
    .leftJoin('employees as e', (j) =>
      j
        .onRef('e.id', '=', 'c.owner_employee_id')
        .onRef('e.organisation_id', '=', 'c.organisation_id'),
    )
    .select([
      ...CASE_COLUMNS.map((c) => `c.${c}` as const),
      'ct.name as contact_name',
      'e.name as owner_name',
    ]);
  q =
    filter.status === 'active'
      ? q.orderBy('c.due_at').orderBy('c.id')
      : q.orderBy('c.opened_at', 'desc').orderBy('c.id', 'desc');
  return q.limit(filter.limit).execute();
}

/** How many cases the list's filter matches, whatever its limit (one `count(*)`). */
export async function countCases(
  db: Executor,
  organisationId: string,
  filter: Omit<CaseListFilter, 'limit'>,
): Promise<number> {
  const row = await caseListQuery(db, organisationId, filter)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Facts of every recovery case opened in a period, for the report. */
export async function listCaseFacts(
  db: Executor,
  organisationId: string,
  from: number,
  to: number,
) {
  return db
    .selectFrom('cases')
    .select([
      'owner_employee_id',
      'team',
      'opened_category',
      'status',
      'opened_at',
      'first_contact_at',
      'closed_at',
      'follow_up_score',
    ])
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'recovery')
    .where('opened_at', '>=', from)
    .where('opened_at', '<', to)
    .execute();
}

export async function listContactCases(db: Executor, organisationId: string, contactId: string) {
  return db
    .selectFrom('cases')
    .select(CASE_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .orderBy('opened_at', 'desc')
    .execute();
}

export async function listCaseIdsOfContact(
  db: Executor,
  organisationId: string,
  contactId: string,
) {
  const rows = await db
    .selectFrom('cases')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Whether the contact's data was erased, read under a share lock on PostgreSQL: an erasure that
 * has changed the contact is waited for and seen, and one that has not yet waits for this
 * transaction, whose note it then erases with the others (the contacts holder runs before the
 * cases holder). SQLite runs one transaction at a time.
 */
export async function contactErasedForNote(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<boolean> {
  const postgres = isPostgres(db);
  const { rows } = await sql<{ erased_at: number | null }>`select erased_at from contacts
    where organisation_id = ${organisationId} and id = ${contactId}
    ${postgres ? sql`for share` : sql``}`.execute(db);
  return rows[0] !== undefined && rows[0].erased_at !== null;
}

/**
 * The cases still being worked that went to someone by an owner rule, locked for a hand-over:
 * `account-manager` (as the customer's own manager) or `account` (as the manager of the customer's
 * company); to `employeeId`, or to whoever it was when absent. Of one customer (`contactId`) or of
 * every current customer of a company (`accountId`, given another manager).
 */
export async function activeCasesOwnedByRule(
  db: Executor,
  organisationId: string,
  of: ({ contactId: string } | { accountId: string }) & {
    rule: 'account-manager' | 'account';
    employeeId?: string;
  },
): Promise<CaseRow[]> {
  let query = db
    .selectFrom('cases')
    .select(CASE_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('owner_rule', '=', of.rule)
    .where('status', 'in', ['open', 'contacted']);
  if (of.employeeId !== undefined) query = query.where('owner_employee_id', '=', of.employeeId);
  query =
    'contactId' in of
      ? query.where('contact_id', '=', of.contactId)
      : query.where('contact_id', 'in', (sub) =>
          sub
            .selectFrom('contacts')
            .select('id')
            .where('organisation_id', '=', organisationId)
            .where('account_id', '=', of.accountId),
        );
  return (isPostgres(db) ? query.forUpdate() : query).execute();
}

/** The account manager of a customer's company now (null: none, or no company). */
export async function accountManagerOfCustomer(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('contacts')
    .innerJoin('accounts', (join) =>
      join
        .onRef('accounts.id', '=', 'contacts.account_id')
        .onRef('accounts.organisation_id', '=', 'contacts.organisation_id'),
    )
    .select('accounts.owner_employee_id')
    .where('contacts.organisation_id', '=', organisationId)
    .where('contacts.id', '=', contactId)
    .executeTakeFirst();
  return row?.owner_employee_id ?? null;
}

/** The account manager of a client company (null: none, or no such company). */
export async function accountManagerOf(
  db: Executor,
  organisationId: string,
  accountId: string | null,
): Promise<string | null> {
  if (accountId === null) return null;
  const row = await db
    .selectFrom('accounts')
    .select('owner_employee_id')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', accountId)
    .executeTakeFirst();
  return row?.owner_employee_id ?? null;
}

/** Removes the text of notes (personal data); the log of what happened when stays. */
export async function eraseNotes(db: Executor, organisationId: string, caseIds: readonly string[]) {
  if (caseIds.length === 0) return;
  await db
    .updateTable('case_events')
    .set({ body: null })
    .where('organisation_id', '=', organisationId)
    .where('case_id', 'in', caseIds)
    .execute();
}

/**
 * Notes older than the cutoff on closed cases lose their text (storage limitation). A complaint
 * still being worked (a recovery case, open or contacted) keeps its notes — the handling's memory
 * — for at most `holdMs` past the period: a case nobody closes keeps nothing for ever.
 */
export async function eraseNotesBefore(
  db: Executor,
  organisationId: string,
  cutoff: number,
  limit: number,
  holdMs: number,
): Promise<number> {
  const ids = await db
    .selectFrom('case_events as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .select('e.id')
    .where('e.organisation_id', '=', organisationId)
    .where('c.organisation_id', '=', organisationId)
    .where('e.body', 'is not', null)
    .where('e.at', '<', cutoff)
    .where((eb) =>
      eb.or([
        eb('c.status', 'not in', ['open', 'contacted']),
        eb('c.kind', '<>', 'recovery'),
        eb('e.at', '<', cutoff - holdMs),
      ]),
    )
    .limit(limit)
    .execute();
  if (ids.length === 0) return 0;
  await db
    .updateTable('case_events')
    .set({ body: null })
    .where('organisation_id', '=', organisationId)
    .where(
      'id',
      'in',
      ids.map((r) => r.id),
    )
    .execute();
  return ids.length;
}

// ---- Reads for the case screen and the assignment rules ----

export async function findContactForCase(db: Executor, organisationId: string, contactId: string) {
  return contactsForCases(db, organisationId).where('c.id', '=', contactId).executeTakeFirst();
}

export type ContactForCase = NonNullable<Awaited<ReturnType<typeof findContactForCase>>>;

/** A case's columns as selected beside its contact's: `case_<column>`. */
const ACTIVE_CASE_COLUMNS = CASE_COLUMNS.map((column) => `k.${column} as case_${column}` as const);
const CASE_PREFIX = 'case_';

/**
 * The contacts of many answers at once, each with its active case if it has one (an answer
 * batch's): one lookup for both, instead of one for the contacts and one for their cases. A contact
 * has at most one active case (the unique index `cases_one_active_per_contact`), so the join keeps
 * one row per contact.
 */
export async function findContactsWithActiveCases(
  db: Executor,
  organisationId: string,
  contactIds: readonly string[],
): Promise<{ contacts: Map<string, ContactForCase>; activeCases: CaseRow[] }> {
  const contacts = new Map<string, ContactForCase>();
  const activeCases: CaseRow[] = [];
  for (let i = 0; i < contactIds.length; i += CHUNK) {
    const rows = await contactsForCases(db, organisationId)
      .leftJoin('cases as k', (j) =>
        j
          .onRef('k.organisation_id', '=', 'c.organisation_id')
          .onRef('k.contact_id', '=', 'c.id')
          .on('k.status', 'in', ACTIVE),
      )
      .select(ACTIVE_CASE_COLUMNS)
      .where('c.id', 'in', contactIds.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) {
      const contact: Record<string, unknown> = {};
      const activeCase: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) {
        if (key.startsWith(CASE_PREFIX)) activeCase[key.slice(CASE_PREFIX.length)] = value;
        else contact[key] = value;
      }
      contacts.set(row.id, contact as ContactForCase);
      if (row.case_id !== null) activeCases.push(activeCase as CaseRow);
    }
  }
  return { contacts, activeCases };
}

function contactsForCases(db: Executor, organisationId: string) {
  return db
    .selectFrom('contacts as c')
    .leftJoin('accounts as a', (j) =>
      j.onRef('a.id', '=', 'c.account_id').onRef('a.organisation_id', '=', 'c.organisation_id'),
    )
    .select([
      'c.id',
      'c.name',
      'c.email',
      'c.phone',
      'c.language',
      'c.owner_employee_id',
      'c.account_id',
      'c.segment',
      'c.attributes',
      'c.consent_status',
      'c.consent_at',
      'c.unsubscribed_at',
      'c.erased_at',
      'a.name as account_name',
      'a.owner_employee_id as account_owner_employee_id',
    ])
    .where('c.organisation_id', '=', organisationId);
}

export async function findResponseForCase(
  db: Executor,
  organisationId: string,
  responseId: string,
) {
  return db
    .selectFrom('responses')
    .select(['id', 'score', 'category', 'comment', 'may_contact', 'survey_id', 'answered_at'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', responseId)
    .executeTakeFirst();
}

/** Every answer of a contact over time (the history on the case screen). */
export async function listContactAnswers(db: Executor, organisationId: string, contactId: string) {
  return db
    .selectFrom('responses as r')
    .innerJoin('surveys as s', 's.id', 'r.survey_id')
    .select([
      'r.id',
      'r.score',
      'r.category',
      'r.comment',
      'r.may_contact',
      'r.answered_at',
      's.name as survey_name',
    ])
    .where('r.organisation_id', '=', organisationId)
    .where('r.contact_id', '=', contactId)
    .orderBy('r.answered_at', 'desc')
    .limit(200)
    .execute();
}

export async function listContactInvitations(
  db: Executor,
  organisationId: string,
  contactId: string,
) {
  return db
    .selectFrom('invitations as i')
    .innerJoin('surveys as s', 's.id', 'i.survey_id')
    .select([
      'i.id',
      'i.status',
      'i.skip_reason',
      'i.sent_at',
      'i.planned_at',
      'i.responded_at',
      's.name as survey_name',
    ])
    .where('i.organisation_id', '=', organisationId)
    .where('i.contact_id', '=', contactId)
    .orderBy('i.planned_at', 'desc')
    .limit(200)
    .execute();
}

export async function listEmployeesForCases(db: Executor, organisationId: string) {
  return db
    .selectFrom('employees')
    .select(['id', 'name', 'email', 'team'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** The names of the organisation's employees among `ids` (those a case log names), by id. */
export async function listEmployeeNames(
  db: Executor,
  organisationId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('employees')
    .select(['id', 'name'])
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function findEmployeeForCase(db: Executor, organisationId: string, id: string) {
  return db
    .selectFrom('employees')
    .select(['id', 'name', 'email', 'team'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface RoundRobinCase {
  id: string;
  opened_at: number;
  owner_employee_id: string | null;
}

/** The team's most recent round-robin case (its owner had the last turn). */
export async function lastRoundRobinCase(
  db: Executor,
  organisationId: string,
  team: string,
): Promise<RoundRobinCase | null> {
  const row = await db
    .selectFrom('cases')
    .select(['id', 'opened_at', 'owner_employee_id'])
    .where('organisation_id', '=', organisationId)
    .where('owner_rule', '=', 'round-robin')
    .where('team', '=', team)
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ?? null;
}

/** The logins linked to an employee (the owner's alert goes to them, in their language). */
export async function usersOfEmployee(db: Executor, organisationId: string, employeeId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.email', 'u.name', 'u.locale'])
    .where('m.organisation_id', '=', organisationId)
    .where('m.employee_id', '=', employeeId)
    .execute();
}

/**
 * Who a case escalates to: managers whose own employee record is in the case's team; when the
 * team has no manager (or the case none), the organisation's managers, admins and owners.
 */
export async function escalationRecipients(
  db: Executor,
  organisationId: string,
  team: string | null,
) {
  const base = db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('employees as e', (j) =>
      j.onRef('e.id', '=', 'm.employee_id').onRef('e.organisation_id', '=', 'm.organisation_id'),
    )
    .select(['u.id', 'u.email', 'u.name', 'u.locale', 'm.role', 'e.team'])
    .where('m.organisation_id', '=', organisationId)
    .where('m.role', 'in', ['owner', 'admin', 'manager'])
    .orderBy('u.email');
  const all = await base.execute();
  const teamManagers =
    team === null ? [] : all.filter((r) => r.role === 'manager' && r.team === team);
  return teamManagers.length > 0 ? teamManagers : all;
}

export async function findTeamOfEmployee(db: Executor, organisationId: string, employeeId: string) {
  const row = await db
    .selectFrom('employees')
    .select('team')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', employeeId)
    .executeTakeFirst();
  return row?.team ?? null;
}

export async function findOrganisationForCases(db: Executor, organisationId: string) {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'locale', 'settings'])
    .where('id', '=', organisationId)
    .executeTakeFirst();
}
