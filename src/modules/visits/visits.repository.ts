import { sql } from 'kysely';
import { isPostgres } from '../../db/dialect.ts';
import type { Executor } from '../../db/database.ts';
import type { VisitTable, VisitTriggerTable } from '../../db/schema.ts';
import { scopeCondition, type RecordScope } from '../auth/record-scope.ts';
import { erasedVisitId, visitInviteKey } from './visit-ids.ts';
import { rekeyJobs } from '../../platform/jobs/jobs.repository.ts';

/** Only this file of the module touches the query builder. */

const VISIT_COLUMNS = [
  'id',
  'contact_id',
  'external_id',
  'visited_at',
  'kind',
  'kind_key',
  'location',
  'amount_cents',
  'status',
  'source',
  'invitation_status',
  'invitation_id',
  'skip_reason',
  'skip_detail',
] as const;
export type VisitRow = Pick<VisitTable, (typeof VISIT_COLUMNS)[number]>;

export interface ContactRefRow {
  id: string;
  external_id: string | null;
  email_key: string | null;
  phone_key: string | null;
  erased_at: number | null;
}

const CHUNK = 400;
const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
};

/** Contacts matching any of the keys (customer number, email key, phone key), erased included. */
export async function findContactsByRefs(
  db: Executor,
  organisationId: string,
  refs: {
    externalIds: readonly string[];
    emailKeys: readonly string[];
    phoneKeys: readonly string[];
  },
): Promise<ContactRefRow[]> {
  const byId = new Map<string, ContactRefRow>();
  const base = () =>
    db
      .selectFrom('contacts')
      .select(['id', 'external_id', 'email_key', 'phone_key', 'erased_at'])
      .where('organisation_id', '=', organisationId);
  for (const part of chunks(refs.externalIds)) {
    for (const r of await base().where('external_id', 'in', part).execute()) byId.set(r.id, r);
  }
  for (const part of chunks(refs.emailKeys)) {
    for (const r of await base().where('email_key', 'in', part).execute()) byId.set(r.id, r);
  }
  for (const part of chunks(refs.phoneKeys)) {
    for (const r of await base().where('phone_key', 'in', part).execute()) byId.set(r.id, r);
  }
  return [...byId.values()];
}

/**
 * The stored visits with these external ids. With `lock` (PostgreSQL) the rows are read `FOR UPDATE`
 * in external-id order: a second correction of the same visit then waits for the first to commit and
 * reads what it wrote, so the `visit.recorded` it announces names the true previous amount and status
 * (earned growth's kept sums subtract exactly that), and two batches lock their rows in one order.
 */
export async function findVisitsByExternalIds(
  db: Executor,
  organisationId: string,
  externalIds: readonly string[],
  lock = false,
): Promise<
  {
    id: string;
    external_id: string | null;
    contact_id: string;
    status: VisitTable['status'];
    visited_at: number;
    amount_cents: number;
    created_at: number;
    invitation_status: VisitTable['invitation_status'];
    skip_reason: string | null;
  }[]
> {
  const out = [];
  const ids = lock ? [...externalIds].sort() : externalIds;
  for (const part of chunks(ids)) {
    const query = db
      .selectFrom('visits')
      .select([
        'id',
        'external_id',
        'contact_id',
        'status',
        'visited_at',
        'amount_cents',
        'created_at',
        'invitation_status',
        'skip_reason',
      ])
      .where('organisation_id', '=', organisationId)
      .where('external_id', 'in', part);
    out.push(...(await (lock ? query.orderBy('external_id').forUpdate() : query).execute()));
  }
  return out;
}

/**
 * PostgreSQL: makes this transaction the organisation's one visit writer until it ends (a
 * transaction-scoped advisory lock, which works behind PgBouncer in transaction mode; taken again by
 * a later batch of the same transaction, it is already held). A first record racing another of the
 * same number then waits, and finds it (visit-ids.ts). One lock per organisation, not one per
 * number: a transaction holds each advisory lock in PostgreSQL's shared lock table until it ends,
 * and an import commits all its rows in one transaction — 100,000 numbers would exhaust that table
 * (`out of shared memory`, for every tenant on the server), and its batches, each locking its own
 * numbers, could wait for another import's in a circle. Visit writes of one organisation wait for
 * each other (an import's commit holds them up); other organisations' do not. Nothing on SQLite,
 * whose one writer does one transaction at a time.
 */
export async function lockVisitWrites(db: Executor, organisationId: string): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`select pg_advisory_xact_lock(hashtext('visits'), hashtext(${organisationId}))`.execute(
    db,
  );
}

/** Of these ids, those a visit has already (any organisation's: the id is the primary key). */
export async function takenVisitIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const part of chunks(ids)) {
    if (part.length === 0) continue;
    for (const r of await db.selectFrom('visits').select('id').where('id', 'in', part).execute()) {
      taken.add(r.id);
    }
  }
  return taken;
}

export async function insertVisits(db: Executor, rows: readonly VisitTable[]): Promise<void> {
  for (const part of chunks(rows)) {
    if (part.length) await db.insertInto('visits').values(part).execute();
  }
}

export async function updateVisit(
  db: Executor,
  organisationId: string,
  id: string,
  values: Partial<Omit<VisitTable, 'id' | 'organisation_id' | 'created_at'>>,
): Promise<void> {
  await db
    .updateTable('visits')
    .set(values)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

export async function findVisit(
  db: Executor,
  organisationId: string,
  id: string,
): Promise<VisitRow | undefined> {
  return db
    .selectFrom('visits')
    .select(VISIT_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A contact's visits, newest first. */
export async function listContactVisits(
  db: Executor,
  organisationId: string,
  contactId: string,
  limit: number,
): Promise<VisitRow[]> {
  return db
    .selectFrom('visits')
    .select(VISIT_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .orderBy('visited_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

const DAY_NUMBER = sql<number>`cast(visited_at / 86400000 as integer)`;

/** First and last completed visit, distinct visit days, count, revenue (completed minus refunds). */
export async function contactVisitSummary(db: Executor, organisationId: string, contactId: string) {
  const row = await db
    .selectFrom('visits')
    .select((eb) => [
      eb.fn.min(sql<number>`case when status = 'completed' then visited_at end`).as('first_at'),
      eb.fn.max(sql<number>`case when status = 'completed' then visited_at end`).as('last_at'),
      eb.fn.count<number>(sql`case when status = 'completed' then 1 end`).as('visits'),
      sql<number>`count(distinct case when status = 'completed' then ${DAY_NUMBER} end)`.as('days'),
      sql<number>`coalesce(sum(case when status <> 'cancelled' then amount_cents else 0 end), 0)`.as(
        'revenue_cents',
      ),
    ])
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  return {
    firstAt: row?.first_at === null || row?.first_at === undefined ? null : Number(row.first_at),
    lastAt: row?.last_at === null || row?.last_at === undefined ? null : Number(row.last_at),
    visits: Number(row?.visits ?? 0),
    days: Number(row?.days ?? 0),
    revenueCents: Number(row?.revenue_cents ?? 0),
  };
}

/** The kind of the contact's last completed visit (for a fixed interval such as APK). */
export async function lastCompletedKind(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('visits')
    .select('kind_key')
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .where('status', '=', 'completed')
    .orderBy('visited_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.kind_key ?? null;
}

export async function findTrigger(
  db: Executor,
  organisationId: string,
): Promise<VisitTriggerTable | undefined> {
  return db
    .selectFrom('visit_triggers')
    .select([
      'organisation_id',
      'survey_id',
      'enabled',
      'kinds',
      'delay_days',
      'send_at_minute',
      'updated_at',
    ])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

export async function saveTrigger(db: Executor, row: VisitTriggerTable): Promise<void> {
  const { organisation_id, ...rest } = row;
  await db
    .insertInto('visit_triggers')
    .values(row)
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet(rest))
    .execute();
  void organisation_id;
}

export async function findRequestKey(db: Executor, organisationId: string, key: string) {
  return db
    .selectFrom('visit_request_keys')
    .select(['status_code', 'response'])
    .where('organisation_id', '=', organisationId)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function saveRequestKey(
  db: Executor,
  organisationId: string,
  key: string,
  statusCode: number,
  response: string,
  now: number,
): Promise<void> {
  await db
    .insertInto('visit_request_keys')
    .values({
      organisation_id: organisationId,
      key,
      status_code: statusCode,
      response,
      created_at: now,
    })
    .execute();
}

/** Erasure: the visit stays for the aggregate figures; what could identify the person goes. */
export async function anonymiseContactVisits(
  db: Executor,
  organisationId: string,
  contactId: string,
  now: number,
): Promise<void> {
  await lockVisitWrites(db, organisationId);
  const rows = await db
    .selectFrom('visits')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .execute();
  // A numbered visit's id is derived from its number (visit-ids.ts): a low-entropy invoice number
  // could be found again by hashing candidates, so the id goes with the number.
  // Its waiting invitation job, keyed and addressed by that id, follows it to the new one.
  for (const row of rows) {
    const id = erasedVisitId(row.id);
    await db
      .updateTable('visits')
      .set({ id, external_id: null, location: null, updated_at: now })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', row.id)
      .execute();
    if (id !== row.id) {
      await rekeyJobs(db, organisationId, visitInviteKey(row.id), {
        dedupeKey: visitInviteKey(id),
        payload: JSON.stringify({ visitId: id }),
      });
    }
  }
}

/** The invitation a send made for a contact (a visit-triggered send has at most one). */
export async function findInvitationOfSend(
  db: Executor,
  organisationId: string,
  sendId: string,
  contactId: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('invitations')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('send_id', '=', sendId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
}

/** A contact the actor may see (an account manager: only their own customers). */
export async function findContactForActor(
  db: Executor,
  organisationId: string,
  contactId: string,
  scope: RecordScope,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('contacts')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', contactId)
    .where(scopeCondition('owner_employee_id', scope))
    .executeTakeFirst();
}
