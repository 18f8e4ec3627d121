import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';

/**
 * The loyalty report's SQL: every figure is aggregated in the database, so a million visits arrive
 * in JavaScript as a few hundred grouped rows.
 *
 * Each contact is followed from one origin: their latest answer (score and category), or — for a
 * contact who never answered — their latest invitation that a mail server accepted
 * (non-respondents). From the origin: the next completed visit (the event), the completed visits in
 * the year before (how often they already came), and the revenue in the year after.
 */

const DAY = 86_400_000;
const YEAR = 365 * DAY;

function followed(organisationId: string): RawBuilder<unknown> {
  return sql`
    with latest as (
      select r.contact_id, r.score, r.category, r.answered_at as origin
      from responses r
      where r.organisation_id = ${organisationId}
        and r.contact_id is not null
        and r.answered_at = (
          select max(r2.answered_at) from responses r2
          where r2.organisation_id = r.organisation_id and r2.contact_id = r.contact_id
        )
    ),
    non_respondents as (
      select i.contact_id, cast(null as integer) as score, 'non_respondent' as category, max(i.sent_at) as origin
      from invitations i
      where i.organisation_id = ${organisationId}
        and i.sent_at is not null
        and not exists (
          select 1 from responses r
          where r.organisation_id = i.organisation_id and r.contact_id = i.contact_id
        )
      group by i.contact_id
    ),
    origins as (
      select contact_id, score, category, origin from latest
      union all
      select contact_id, score, category, origin from non_respondents
    ),
    followed as (
      select o.contact_id, o.score, o.category, o.origin, c.segment,
        (select min(v.visited_at) from visits v
          where v.organisation_id = ${organisationId} and v.contact_id = o.contact_id
            and v.status = 'completed' and v.visited_at > o.origin) as next_visit,
        (select count(*) from visits v
          where v.organisation_id = ${organisationId} and v.contact_id = o.contact_id
            and v.status = 'completed' and v.visited_at <= o.origin
            and v.visited_at > o.origin - ${YEAR}) as prior_visits,
        (select coalesce(sum(v.amount_cents), 0) from visits v
          where v.organisation_id = ${organisationId} and v.contact_id = o.contact_id
            and v.status <> 'cancelled' and v.visited_at > o.origin
            and v.visited_at <= o.origin + ${YEAR}) as revenue_after
      from origins o
      join contacts c on c.id = o.contact_id and c.organisation_id = ${organisationId}
    )`;
}

export interface SurvivalAggregate {
  category: string;
  day: number;
  events: number;
  censored: number;
}

/** Days from origin to the next visit (event) or to now (censored), per category. */
export async function survivalRows(
  db: Executor,
  organisationId: string,
  now: number,
): Promise<SurvivalAggregate[]> {
  const result = await sql<{ category: string; day: number; events: number; censored: number }>`
    ${followed(organisationId)}
    select category, day, sum(event) as events, sum(1 - event) as censored
    from (
      select category,
        cast((case when next_visit is not null then next_visit else ${now} end - origin) / ${DAY} as integer) as day,
        case when next_visit is not null then 1 else 0 end as event
      from followed
      where origin <= ${now}
    ) t
    group by category, day
    order by category, day`.execute(db);
  return result.rows.map((r) => ({
    category: r.category,
    day: Number(r.day),
    events: Number(r.events),
    censored: Number(r.censored),
  }));
}

export interface PredictionAggregate {
  score: number;
  priorVisits: number;
  segment: string | null;
  returned: number;
  stayedAway: number;
}

/**
 * Respondents whose window has fully passed, grouped by score, prior visits (capped at 10) and
 * segment: how many came back within the window.
 */
export async function predictionRows(
  db: Executor,
  organisationId: string,
  now: number,
  windowDays: number,
): Promise<PredictionAggregate[]> {
  const window = windowDays * DAY;
  const result = await sql<{
    score: number;
    prior: number;
    segment: string | null;
    returned: number;
    stayed: number;
  }>`
    ${followed(organisationId)}
    select score, case when prior_visits > 10 then 10 else prior_visits end as prior, segment,
      sum(case when next_visit is not null and next_visit - origin <= ${window} then 1 else 0 end) as returned,
      sum(case when next_visit is not null and next_visit - origin <= ${window} then 0 else 1 end) as stayed
    from followed
    where score is not null and origin <= ${now - window}
    group by score, case when prior_visits > 10 then 10 else prior_visits end, segment`.execute(db);
  return result.rows.map((r) => ({
    score: Number(r.score),
    priorVisits: Number(r.prior),
    segment: r.segment,
    returned: Number(r.returned),
    stayedAway: Number(r.stayed),
  }));
}

export interface RevenueAggregate {
  category: string;
  customers: number;
  sum: number;
  sumOfSquares: number;
}

/** Revenue in euros in the year after the origin, per category: count, sum and sum of squares. */
export async function revenueRows(
  db: Executor,
  organisationId: string,
): Promise<RevenueAggregate[]> {
  const result = await sql<{ category: string; customers: number; total: number; squares: number }>`
    ${followed(organisationId)}
    select category, count(*) as customers,
      sum(revenue_after / 100.0) as total,
      sum((revenue_after / 100.0) * (revenue_after / 100.0)) as squares
    from followed
    group by category`.execute(db);
  return result.rows.map((r) => ({
    category: r.category,
    customers: Number(r.customers),
    sum: Number(r.total ?? 0),
    sumOfSquares: Number(r.squares ?? 0),
  }));
}

export interface MonthRevenue {
  start: number;
  revenueCents: number;
  /** From customers whose first completed visit was before the month. */
  returningCents: number;
}

/** Revenue per month (given as [start, end) instants) and the part from returning customers. */
export async function monthlyRevenue(
  db: Executor,
  organisationId: string,
  months: readonly { start: number; end: number }[],
): Promise<MonthRevenue[]> {
  if (months.length === 0) return [];
  const values = sql.join(
    months.map((m) => sql`(cast(${m.start} as bigint), cast(${m.end} as bigint))`),
  );
  const result = await sql<{ start_at: number; revenue: number; returning_cents: number }>`
    with months(start_at, end_at) as (values ${values}),
    firsts as (
      select contact_id, min(visited_at) as first_at from visits
      where organisation_id = ${organisationId} and status = 'completed'
      group by contact_id
    )
    select m.start_at,
      coalesce(sum(v.amount_cents), 0) as revenue,
      coalesce(sum(case when f.first_at < m.start_at then v.amount_cents else 0 end), 0) as returning_cents
    from months m
    left join visits v on v.organisation_id = ${organisationId} and v.status <> 'cancelled'
      and v.visited_at >= m.start_at and v.visited_at < m.end_at
    left join firsts f on f.contact_id = v.contact_id
    group by m.start_at
    order by m.start_at`.execute(db);
  return result.rows.map((r) => ({
    start: Number(r.start_at),
    revenueCents: Number(r.revenue),
    returningCents: Number(r.returning_cents),
  }));
}
