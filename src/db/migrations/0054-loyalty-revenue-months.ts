import { sql, type Kysely } from 'kysely';
import { monthsCovering } from '../../domain/loyalty/revenue-months.ts';

/**
 * Earned growth's two sums per organisation and local calendar month (issue 11, bench: the loyalty
 * report over 1,000,000 visits): the revenue of the visits not cancelled in the month, and the part
 * from customers whose first completed visit is not before the month's start (new customers; the
 * rest is returning revenue). The report read them from a year of visits at every request — on
 * SQLite about 40 % of its CPU time; it now reads thirteen rows.
 *
 * Kept by the loyalty module's `visit.recorded` subscriber in the transaction of every visit
 * (`modules/loyalty/revenue-months.*`: the touched customers' contribution after the change minus
 * before); `loyaal loyalty rebuild` recomputes it. Sums per organisation and month only: no
 * personal data. The backfill below is a frozen copy of the module's rebuild as written with this
 * migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('loyalty_revenue_months')
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('month_start', 'bigint', (c) => c.notNull())
    .addColumn('revenue_cents', 'bigint', (c) => c.notNull())
    .addColumn('new_revenue_cents', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('loyalty_revenue_months_pk', ['organisation_id', 'month_start'])
    .execute();
  await backfill(db, Date.now());
}

/** Fills the table for every organisation from the visits stored. */
export async function backfill(db: Kysely<unknown>, now: number): Promise<void> {
  const spans = await sql<{ organisation_id: string; first_at: number; last_at: number }>`
    select organisation_id, min(visited_at) as first_at, max(visited_at) as last_at
    from visits group by organisation_id`.execute(db);
  for (const span of spans.rows) {
    const months = monthsCovering(Number(span.first_at), Number(span.last_at));
    for (let i = 0; i < months.length; i += 1000) {
      const values = sql.join(
        months
          .slice(i, i + 1000)
          .map((m) => sql`(cast(${m.start} as bigint), cast(${m.end} as bigint))`),
      );
      await sql`
        insert into loyalty_revenue_months (organisation_id, month_start, revenue_cents,
          new_revenue_cents, updated_at)
        with months(start_at, end_at) as (values ${values}),
        firsts as (
          select contact_id, min(visited_at) as first_at from visits
          where organisation_id = ${span.organisation_id} and status = 'completed'
          group by contact_id
        )
        select ${span.organisation_id}, m.start_at, sum(v.amount_cents),
          sum(case when f.first_at is null or f.first_at >= m.start_at then v.amount_cents
            else 0 end),
          cast(${now} as bigint)
        from months m
        join visits v on v.organisation_id = ${span.organisation_id}
          and v.visited_at >= m.start_at and v.visited_at < m.end_at and v.status <> 'cancelled'
        left join firsts f on f.contact_id = v.contact_id
        group by m.start_at
        having sum(v.amount_cents) <> 0
          or sum(case when f.first_at is null or f.first_at >= m.start_at then v.amount_cents
            else 0 end) <> 0`.execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('loyalty_revenue_months').execute();
}
