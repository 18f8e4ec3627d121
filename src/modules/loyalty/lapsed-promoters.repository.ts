import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { LoyaltyTaskTable } from '../../db/schema.ts';
import { scopeCondition, type RecordScope } from '../auth/record-scope.ts';

const DAY = 86_400_000;

/** A promoter's visit history in three numbers, and the kind of their last visit. */
export interface PromoterVisits {
  contactId: string;
  ownerEmployeeId: string | null;
  score: number | null;
  firstAt: number;
  lastAt: number;
  /** Distinct days with a completed visit. */
  days: number;
  lastKindKey: string | null;
}

/**
 * Contacts whose latest answer is a promoter's, who have completed visits and whose last visit is
 * at least `minAgeDays` old: the candidates of the lapse sweep, aggregated in SQL (a million
 * visits arrive as one row per promoter). Erased contacts are left out.
 */
export async function promoterCandidates(
  db: Executor,
  organisationId: string,
  lastVisitBefore: number,
): Promise<PromoterVisits[]> {
  const result = await sql<{
    contact_id: string;
    owner_employee_id: string | null;
    score: number | null;
    first_at: number;
    last_at: number;
    days: number;
    last_kind: string | null;
  }>`
    with latest as (
      select r.contact_id, r.score, r.category
      from responses r
      where r.organisation_id = ${organisationId}
        and r.contact_id is not null
        and r.answered_at = (
          select max(r2.answered_at) from responses r2
          where r2.organisation_id = r.organisation_id and r2.contact_id = r.contact_id
        )
    ),
    stats as (
      select v.contact_id, min(v.visited_at) as first_at, max(v.visited_at) as last_at,
        count(distinct cast(v.visited_at / ${DAY} as integer)) as days
      from visits v
      where v.organisation_id = ${organisationId} and v.status = 'completed'
        and v.contact_id in (select contact_id from latest where category = 'promoter')
      group by v.contact_id
    )
    select c.id as contact_id, c.owner_employee_id, l.score, s.first_at, s.last_at, s.days,
      (select v.kind_key from visits v
        where v.organisation_id = ${organisationId} and v.contact_id = c.id
          and v.status = 'completed' and v.visited_at = s.last_at
        limit 1) as last_kind
    from stats s
    join latest l on l.contact_id = s.contact_id and l.category = 'promoter'
    join contacts c on c.id = s.contact_id and c.organisation_id = ${organisationId}
    where c.erased_at is null and s.last_at < ${lastVisitBefore}`.execute(db);
  return result.rows.map((r) => ({
    contactId: r.contact_id,
    ownerEmployeeId: r.owner_employee_id,
    score: r.score === null ? null : Number(r.score),
    firstAt: Number(r.first_at),
    lastAt: Number(r.last_at),
    days: Number(r.days),
    lastKindKey: r.last_kind,
  }));
}

/** Organisations with at least one promoter answer: the ones the sweep looks at. */
export async function organisationsWithPromoters(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('responses')
    .select('organisation_id')
    .where('category', '=', 'promoter')
    .where('contact_id', 'is not', null)
    .distinct()
    .execute();
  return rows.map((r) => r.organisation_id);
}

/** Inserts tasks; one that exists for the same contact and interval is left as it is. */
export async function insertTasks(
  db: Executor,
  rows: readonly LoyaltyTaskTable[],
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const result = await db
      .insertInto('loyalty_tasks')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'contact_id', 'kind', 'due_at']).doNothing(),
      )
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

export interface TaskRow extends LoyaltyTaskTable {
  contact_name: string | null;
  contact_email: string | null;
  owner_name: string | null;
}

function tasks(db: Executor, organisationId: string, scope: RecordScope) {
  return db
    .selectFrom('loyalty_tasks as t')
    .innerJoin('contacts as c', (j) =>
      j.onRef('c.id', '=', 't.contact_id').onRef('c.organisation_id', '=', 't.organisation_id'),
    )
    .leftJoin('employees as e', (j) =>
      j
        .onRef('e.id', '=', 't.owner_employee_id')
        .onRef('e.organisation_id', '=', 't.organisation_id'),
    )
    .selectAll('t')
    .select(['c.name as contact_name', 'c.email as contact_email', 'e.name as owner_name'])
    .where('t.organisation_id', '=', organisationId)
    .where(scopeCondition('t.owner_employee_id', scope));
}

/** The organisation's tasks within the actor's scope, oldest expected return first. */
export async function listTasks(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  status: 'open' | 'done' | 'all',
  limit: number,
): Promise<TaskRow[]> {
  let q = tasks(db, organisationId, scope);
  if (status === 'open') q = q.where('t.done_at', 'is', null);
  if (status === 'done') q = q.where('t.done_at', 'is not', null);
  return q.orderBy('t.due_at').orderBy('t.id').limit(limit).execute();
}

export async function findTask(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  id: string,
): Promise<TaskRow | undefined> {
  return tasks(db, organisationId, scope).where('t.id', '=', id).executeTakeFirst();
}

export async function markDone(
  db: Executor,
  organisationId: string,
  id: string,
  userId: string | null,
  now: number,
): Promise<void> {
  await db
    .updateTable('loyalty_tasks')
    .set({ done_at: now, done_by: userId })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('done_at', 'is', null)
    .execute();
}

export async function contactTasks(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<LoyaltyTaskTable[]> {
  return db
    .selectFrom('loyalty_tasks')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .orderBy('created_at')
    .execute();
}

export async function deleteContactTasks(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<void> {
  await db
    .deleteFrom('loyalty_tasks')
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .execute();
}
