import { sql, type Kysely } from 'kysely';

/**
 * The loyalty report's facts per contact (issue 11, bench: the report must answer 100,000 contacts
 * and 1,000,000 visits in under 500 ms). Every figure of the report follows a contact from one
 * origin — their latest answer, or for a contact who never answered their latest invitation a mail
 * server accepted — and needs, per contact: the next completed visit after it, the completed visits
 * in the year before, the revenue in the year after, and (for earned growth) the first completed
 * visit. Computing those from the visits at every read was the report's cost; this table keeps them,
 * maintained in the transaction of every visit, answer and sent invitation by the loyalty module's
 * subscribers (`modules/loyalty/contact-facts.*`), and filled here from what is already stored.
 *
 * A row exists for a contact with an origin or with a completed visit or revenue. The backfill
 * below is a frozen copy of the module's rebuild (`rebuildContactFacts`) as it was when this
 * migration was written, so the migration keeps doing what it did when that code changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('loyalty_contact_facts')
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('origin_at', 'bigint')
    .addColumn('category', 'text')
    .addColumn('score', 'integer')
    .addColumn('next_visit_at', 'bigint')
    .addColumn('prior_visits', 'integer', (c) => c.notNull())
    .addColumn('revenue_after_cents', 'bigint', (c) => c.notNull())
    .addColumn('first_visit_at', 'bigint')
    .addColumn('last_visit_at', 'bigint')
    .addColumn('visits', 'integer', (c) => c.notNull())
    .addColumn('revenue_cents', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('loyalty_contact_facts_pk', ['organisation_id', 'contact_id'])
    .execute();
  await backfill(db, Date.now());
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('loyalty_contact_facts').execute();
}

const YEAR = 365 * 86_400_000;

/** Fills the table for every organisation from the answers, invitations and visits stored. */
export async function backfill(db: Kysely<unknown>, now: number): Promise<void> {
  await sql`
    insert into loyalty_contact_facts (organisation_id, contact_id, origin_at, category, score,
      next_visit_at, prior_visits, revenue_after_cents, first_visit_at, last_visit_at, visits,
      revenue_cents, updated_at)
    with answered as (
      select r.organisation_id, r.contact_id, r.score, r.category, r.answered_at as origin,
        row_number() over (partition by r.organisation_id, r.contact_id
          order by r.answered_at desc, r.id desc) as nth
      from responses r
      where r.contact_id is not null
    ),
    origins as (
      select organisation_id, contact_id, score, category, origin from answered where nth = 1
      union all
      select i.organisation_id, i.contact_id, cast(null as integer) as score,
        'non_respondent' as category, max(i.sent_at) as origin
      from invitations i
      where i.sent_at is not null
        and not exists (
          select 1 from responses r
          where r.organisation_id = i.organisation_id and r.contact_id = i.contact_id
        )
      group by i.organisation_id, i.contact_id
    )
    select c.organisation_id, c.id, max(o.origin), max(o.category), max(o.score),
      min(case when v.status = 'completed' and v.visited_at > o.origin then v.visited_at end),
      coalesce(sum(case when v.status = 'completed' and v.visited_at <= o.origin
        and v.visited_at > o.origin - ${YEAR} then 1 else 0 end), 0),
      coalesce(sum(case when v.status <> 'cancelled' and v.visited_at > o.origin
        and v.visited_at <= o.origin + ${YEAR} then v.amount_cents else 0 end), 0),
      min(case when v.status = 'completed' then v.visited_at end),
      max(case when v.status = 'completed' then v.visited_at end),
      coalesce(sum(case when v.status = 'completed' then 1 else 0 end), 0),
      coalesce(sum(case when v.status <> 'cancelled' then v.amount_cents else 0 end), 0),
      cast(${now} as bigint)
    from contacts c
    left join origins o on o.organisation_id = c.organisation_id and o.contact_id = c.id
    left join visits v on v.organisation_id = c.organisation_id and v.contact_id = c.id
    group by c.organisation_id, c.id
    having max(o.origin) is not null
      or coalesce(sum(case when v.status = 'completed' then 1 else 0 end), 0) > 0
      or coalesce(sum(case when v.status <> 'cancelled' then v.amount_cents else 0 end), 0) <> 0`.execute(
    db,
  );
}
