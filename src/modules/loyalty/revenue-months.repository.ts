import { sql } from 'kysely';
import { isPostgres } from '../../db/dialect.ts';
import type { Executor } from '../../db/database.ts';
import type { CountedVisit, RevenueMonth } from '../../domain/loyalty/revenue-months.ts';
import { lockContacts } from './contact-facts.repository.ts';

/**
 * Earned growth's sums per organisation and month (`loyalty_revenue_months`, migration 0054): the
 * revenue of the visits not cancelled in the month and the part from customers new in it. Kept by
 * adding the change a visit batch makes (revenue-months.subscribers.ts), rebuilt from the visits.
 */

/** Contacts per statement: well below either database's parameter limit. */
const CHUNK = 500;

export interface ContactVisit extends CountedVisit {
  id: string;
  contactId: string;
}

/**
 * Every visit of these contacts (what their contribution to the sums depends on). On PostgreSQL
 * the contacts are locked first, so the visits read are those every earlier transaction committed.
 */
export async function visitsOfContacts(
  db: Executor,
  organisationId: string,
  contactIds: readonly string[],
): Promise<ContactVisit[]> {
  const ids = [...new Set(contactIds)].sort();
  const postgres = isPostgres(db);
  const out: ContactVisit[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    if (postgres) await lockContacts(db, organisationId, part);
    const rows = await db
      .selectFrom('visits')
      .select(['id', 'contact_id', 'visited_at', 'amount_cents', 'status'])
      .where('organisation_id', '=', organisationId)
      .where('contact_id', 'in', part)
      .execute();
    for (const r of rows) {
      out.push({
        id: r.id,
        contactId: r.contact_id,
        visitedAt: Number(r.visited_at),
        amountCents: Number(r.amount_cents),
        status: r.status,
      });
    }
  }
  return out;
}

/** Adds changes to the sums (one upsert per month, in month order); a month left at zero goes. */
export async function addRevenueMonths(
  db: Executor,
  organisationId: string,
  changes: readonly RevenueMonth[],
  now: number,
): Promise<void> {
  if (changes.length === 0) return;
  await db
    .insertInto('loyalty_revenue_months')
    .values(
      changes.map((c) => ({
        organisation_id: organisationId,
        month_start: c.monthStart,
        revenue_cents: c.revenueCents,
        new_revenue_cents: c.newRevenueCents,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['organisation_id', 'month_start']).doUpdateSet({
        revenue_cents: sql`loyalty_revenue_months.revenue_cents + excluded.revenue_cents`,
        new_revenue_cents: sql`loyalty_revenue_months.new_revenue_cents + excluded.new_revenue_cents`,
        updated_at: sql`excluded.updated_at`,
      }),
    )
    .execute();
  await db
    .deleteFrom('loyalty_revenue_months')
    .where('organisation_id', '=', organisationId)
    .where(
      'month_start',
      'in',
      changes.map((c) => c.monthStart),
    )
    .where('revenue_cents', '=', 0)
    .where('new_revenue_cents', '=', 0)
    .execute();
}

/** The first and last visit of the organisation (the months a rebuild covers); null without any. */
export async function visitSpan(
  db: Executor,
  organisationId: string,
): Promise<{ first: number; last: number } | null> {
  const row = await db
    .selectFrom('visits')
    .select((eb) => [eb.fn.min('visited_at').as('first'), eb.fn.max('visited_at').as('last')])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return row?.first == null || row.last == null
    ? null
    : { first: Number(row.first), last: Number(row.last) };
}

/**
 * Rewrites the organisation's sums from its visits, for the given months (`[start, end)`, local
 * calendar months covering every visit): each month a range of the time index, each visit's
 * customer's first completed visit from the contact index. Returns the number of months written.
 */
export async function rebuildRevenueMonths(
  db: Executor,
  organisationId: string,
  months: readonly { start: number; end: number }[],
  now: number,
): Promise<number> {
  await db
    .deleteFrom('loyalty_revenue_months')
    .where('organisation_id', '=', organisationId)
    .execute();
  let written = 0;
  for (let i = 0; i < months.length; i += CHUNK) {
    const values = sql.join(
      months
        .slice(i, i + CHUNK)
        .map((m) => sql`(cast(${m.start} as bigint), cast(${m.end} as bigint))`),
    );
    const isNew = sql`case when f.first_at is null or f.first_at >= m.start_at
      then v.amount_cents else 0 end`;
    const result = await sql`
      insert into loyalty_revenue_months (organisation_id, month_start, revenue_cents,
        new_revenue_cents, updated_at)
      with months(start_at, end_at) as (values ${values}),
      firsts as (
        select contact_id, min(visited_at) as first_at from visits
        where organisation_id = ${organisationId} and status = 'completed'
        group by contact_id
      )
      select ${organisationId}, m.start_at, sum(v.amount_cents), sum(${isNew}),
        cast(${now} as bigint)
      from months m
      join visits v on v.organisation_id = ${organisationId}
        and v.visited_at >= m.start_at and v.visited_at < m.end_at and v.status <> 'cancelled'
      left join firsts f on f.contact_id = v.contact_id
      group by m.start_at
      having sum(v.amount_cents) <> 0 or sum(${isNew}) <> 0`.execute(db);
    written += Number(result.numAffectedRows ?? 0);
  }
  return written;
}

/** The sums of the months that start in `[from, until)`, in month order (months without any: absent). */
export async function revenueMonths(
  db: Executor,
  organisationId: string,
  from: number,
  until: number,
): Promise<RevenueMonth[]> {
  const rows = await db
    .selectFrom('loyalty_revenue_months')
    .select(['month_start', 'revenue_cents', 'new_revenue_cents'])
    .where('organisation_id', '=', organisationId)
    .where('month_start', '>=', from)
    .where('month_start', '<', until)
    .orderBy('month_start')
    .execute();
  return rows.map((r) => ({
    monthStart: Number(r.month_start),
    revenueCents: Number(r.revenue_cents),
    newRevenueCents: Number(r.new_revenue_cents),
  }));
}
