import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../src/db/database.ts';

/**
 * THE REFERENCE: the loyalty report's SQL as it was before the facts per contact (migration 0040),
 * computing every figure from the visits at each read. Kept to prove that the report reading
 * `loyalty_contact_facts` gives the same numbers (test/api/loyalty-facts-report.test.ts) and to
 * measure the old way beside the new in the bench. Not used by the product.
 *
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

/**
 * One row per followed contact, computed once per report: origin, category and score, segment, the
 * next completed visit after the origin, completed visits in the year before and revenue in the
 * year after. The origins come from one pass over the organisation's answers (a window function
 * picks each contact's latest) and invitations; the visit facts from one pass over the contacts'
 * visits from a year before their origin on, grouped by contact — no figure repeats a per-contact
 * lookup.
 */
function followed(organisationId: string): RawBuilder<unknown> {
  return sql`
    with answered as (
      select r.contact_id, r.score, r.category, r.answered_at as origin,
        row_number() over (partition by r.contact_id order by r.answered_at desc, r.id desc) as nth
      from responses r
      where r.organisation_id = ${organisationId} and r.contact_id is not null
    ),
    origins as (
      select contact_id, score, category, origin from answered where nth = 1
      union all
      select i.contact_id, cast(null as integer) as score, 'non_respondent' as category,
        max(i.sent_at) as origin
      from invitations i
      where i.organisation_id = ${organisationId} and i.sent_at is not null
        and not exists (
          select 1 from responses r
          where r.organisation_id = i.organisation_id and r.contact_id = i.contact_id
        )
      group by i.contact_id
    ),
    followed as materialized (
      select o.contact_id, max(o.score) as score, max(o.category) as category,
        max(o.origin) as origin, max(c.segment) as segment,
        min(case when v.status = 'completed' and v.visited_at > o.origin then v.visited_at end)
          as next_visit,
        sum(case when v.status = 'completed' and v.visited_at <= o.origin then 1 else 0 end)
          as prior_visits,
        sum(case when v.status <> 'cancelled' and v.visited_at > o.origin
          and v.visited_at <= o.origin + ${YEAR} then v.amount_cents else 0 end) as revenue_after
      from origins o
      join contacts c on c.id = o.contact_id and c.organisation_id = ${organisationId}
      left join visits v on v.organisation_id = ${organisationId} and v.contact_id = o.contact_id
        and v.visited_at > o.origin - ${YEAR}
      -- One origin per contact: score, category, origin and segment are constant in a group.
      group by o.contact_id
    )`;
}

export interface SurvivalAggregate {
  category: string;
  day: number;
  events: number;
  censored: number;
}

export interface PredictionAggregate {
  score: number;
  priorVisits: number;
  segment: string | null;
  returned: number;
  stayedAway: number;
}

export interface RevenueAggregate {
  category: string;
  customers: number;
  sum: number;
  sumOfSquares: number;
}

export interface FollowedAggregates {
  /** Days from origin to the next visit (event) or to now (censored), per category. */
  survival: SurvivalAggregate[];
  /**
   * Respondents whose window has fully passed, grouped by score, prior visits (capped at 10) and
   * segment: how many came back within the window.
   */
  prediction: PredictionAggregate[];
  /** Revenue in euros in the year after the origin, per category: count, sum and sum of squares. */
  revenue: RevenueAggregate[];
}

/**
 * The three groupings the report reads, in one statement over one materialised set of followed
 * contacts; each row says which grouping it belongs to.
 */
export async function followedAggregates(
  db: Executor,
  organisationId: string,
  now: number,
  windowDays: number,
): Promise<FollowedAggregates> {
  const window = windowDays * DAY;
  const result = await sql<{
    part: 'survival' | 'prediction' | 'revenue';
    category: string | null;
    day: number | null;
    score: number | null;
    prior: number | null;
    segment: string | null;
    a: number | null;
    b: number | null;
    c: number | null;
  }>`
    ${followed(organisationId)}
    select 'survival' as part, category, day, cast(null as integer) as score,
      cast(null as integer) as prior, cast(null as text) as segment,
      sum(event) as a, sum(1 - event) as b, cast(null as integer) as c
    from (
      select category,
        cast((case when next_visit is not null then next_visit else ${now} end - origin) / ${DAY}
          as integer) as day,
        case when next_visit is not null then 1 else 0 end as event
      from followed
      where origin <= ${now}
    ) t
    group by category, day
    union all
    select 'prediction', cast(null as text), cast(null as integer), score,
      case when prior_visits > 10 then 10 else prior_visits end, segment,
      sum(case when next_visit is not null and next_visit - origin <= ${window} then 1 else 0 end),
      sum(case when next_visit is not null and next_visit - origin <= ${window} then 0 else 1 end),
      cast(null as integer)
    from followed
    where score is not null and origin <= ${now - window}
    group by score, case when prior_visits > 10 then 10 else prior_visits end, segment
    union all
    select 'revenue', category, cast(null as integer), cast(null as integer),
      cast(null as integer), cast(null as text), count(*), sum(revenue_after / 100.0),
      sum((revenue_after / 100.0) * (revenue_after / 100.0))
    from followed
    group by category`.execute(db);
  const out: FollowedAggregates = { survival: [], prediction: [], revenue: [] };
  for (const r of result.rows) {
    if (r.part === 'survival') {
      out.survival.push({
        category: r.category ?? '',
        day: Number(r.day),
        events: Number(r.a),
        censored: Number(r.b),
      });
    } else if (r.part === 'prediction') {
      out.prediction.push({
        score: Number(r.score),
        priorVisits: Number(r.prior),
        segment: r.segment,
        returned: Number(r.a),
        stayedAway: Number(r.b),
      });
    } else {
      out.revenue.push({
        category: r.category ?? '',
        customers: Number(r.a),
        sum: Number(r.b ?? 0),
        sumOfSquares: Number(r.c ?? 0),
      });
    }
  }
  return out;
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
