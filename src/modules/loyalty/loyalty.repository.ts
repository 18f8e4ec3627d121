import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { scopeCondition, type RecordScope } from '../auth/record-scope.ts';
import { revenueMonths } from './revenue-months.repository.ts';

/**
 * The loyalty report's SQL: every figure is aggregated in the database, so a million visits arrive
 * in JavaScript as a few hundred grouped rows.
 *
 * Each contact is followed from one origin: their latest answer (score and category), or — for a
 * contact who never answered — their latest invitation that a mail server accepted
 * (non-respondents). From the origin: the next completed visit (the event), the completed visits in
 * the year before (how often they already came), and the revenue in the year after. Those facts
 * are kept per contact in `loyalty_contact_facts` (contact-facts.repository.ts), so the report
 * reads one row per followed contact instead of their visits.
 */

const DAY = 86_400_000;

/**
 * The followed contacts' facts within the scope, as a `from` clause with the alias `f`. For a reader
 * who sees every contact (the owner) that is the facts alone; within an account manager's scope the
 * contacts are joined for their owner. `withSegment` joins them anyway, for the segment.
 */
function followed(
  organisationId: string,
  scope: RecordScope,
  withSegment: boolean,
): { from: RawBuilder<unknown>; segment: RawBuilder<unknown> } {
  const where = sql`f.organisation_id = ${organisationId} and f.category is not null`;
  if (scope.kind === 'all' && !withSegment) {
    return { from: sql`loyalty_contact_facts f where ${where}`, segment: sql`cast(null as text)` };
  }
  return {
    from: sql`loyalty_contact_facts f
      join contacts c on c.organisation_id = f.organisation_id and c.id = f.contact_id
      where ${where} and ${scopeCondition('c.owner_employee_id', scope)}`,
    segment: sql`c.segment`,
  };
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
 * The three groupings the report reads, in one statement over the facts of the followed contacts;
 * each row says which grouping it belongs to.
 */
export async function followedAggregates(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  now: number,
  windowDays: number,
): Promise<FollowedAggregates> {
  const window = windowDays * DAY;
  // Three groupings in one statement, each over the facts (one row per followed contact) read
  // directly: no intermediate set to materialise, and only the prediction needs the segment.
  const plain = followed(organisationId, scope, false);
  const segmented = followed(organisationId, scope, true);
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
    select 'survival' as part, category, day, cast(null as integer) as score,
      cast(null as integer) as prior, cast(null as text) as segment,
      sum(event) as a, sum(1 - event) as b, cast(null as integer) as c
    from (
      select f.category,
        cast((case when f.next_visit_at is not null then f.next_visit_at else ${now} end
          - f.origin_at) / ${DAY} as integer) as day,
        case when f.next_visit_at is not null then 1 else 0 end as event
      from ${plain.from} and f.origin_at <= ${now}
    ) t
    group by category, day
    union all
    select 'prediction', cast(null as text), cast(null as integer), score, prior, segment,
      sum(returned), sum(1 - returned), cast(null as integer)
    from (
      select f.score, case when f.prior_visits > 10 then 10 else f.prior_visits end as prior,
        ${segmented.segment} as segment,
        case when f.next_visit_at is not null and f.next_visit_at - f.origin_at <= ${window}
          then 1 else 0 end as returned
      from ${segmented.from} and f.score is not null and f.origin_at <= ${now - window}
    ) p
    group by score, prior, segment
    union all
    select 'revenue', f.category, cast(null as integer), cast(null as integer),
      cast(null as integer), cast(null as text), count(*), sum(f.revenue_after_cents / 100.0),
      sum((f.revenue_after_cents / 100.0) * (f.revenue_after_cents / 100.0))
    from ${plain.from}
    group by f.category`.execute(db);
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

/**
 * Revenue per month (given as [start, end) instants: local calendar months) and the part from
 * returning customers: those whose first completed visit was before the month.
 *
 * For the whole organisation from earned growth's sums per month (`loyalty_revenue_months`, kept
 * by the `visit.recorded` subscriber): one row per month, whatever the number of visits. Returning
 * = revenue − the new customers' part. Within an account manager's scope, from their customers'
 * visits.
 */
export async function monthlyRevenue(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  months: readonly { start: number; end: number }[],
): Promise<MonthRevenue[]> {
  if (months.length === 0) return [];
  if (scope.kind !== 'all') return scopedMonthlyRevenue(db, organisationId, scope, months);
  const first = Math.min(...months.map((m) => m.start));
  const last = Math.max(...months.map((m) => m.start));
  const kept = new Map(
    (await revenueMonths(db, organisationId, first, last + 1)).map((r) => [r.monthStart, r]),
  );
  return months.map((m) => {
    const r = kept.get(m.start);
    return {
      start: m.start,
      revenueCents: r?.revenueCents ?? 0,
      returningCents: (r?.revenueCents ?? 0) - (r?.newRevenueCents ?? 0),
    };
  });
}

/** `monthlyRevenue` within an account manager's scope: from their customers into their visits. */
async function scopedMonthlyRevenue(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  months: readonly { start: number; end: number }[],
): Promise<MonthRevenue[]> {
  const values = sql.join(
    months.map((m) => sql`(cast(${m.start} as bigint), cast(${m.end} as bigint))`),
  );
  const result = await sql<{ start_at: number; revenue: number; returning_cents: number }>`
    with months(start_at, end_at) as (values ${values}),
    mine as materialized (
      select c.id as contact_id, f.first_visit_at from contacts c
      left join loyalty_contact_facts f on f.organisation_id = c.organisation_id
        and f.contact_id = c.id
      where c.organisation_id = ${organisationId}
        and ${scopeCondition('c.owner_employee_id', scope)}
    ),
    visited as materialized (
      select n.first_visit_at, v.visited_at, v.amount_cents
      from mine n
      cross join visits v
      where v.organisation_id = ${organisationId} and v.contact_id = n.contact_id
        and v.status <> 'cancelled'
    )
    select m.start_at,
      coalesce(sum(x.amount_cents), 0) as revenue,
      coalesce(sum(case when x.first_visit_at < m.start_at then x.amount_cents else 0 end), 0)
        as returning_cents
    from months m
    left join visited x on x.visited_at >= m.start_at and x.visited_at < m.end_at
    group by m.start_at
    order by m.start_at`.execute(db);
  return months.map((m) => {
    const r = result.rows.find((row) => Number(row.start_at) === m.start);
    return {
      start: m.start,
      revenueCents: Number(r?.revenue ?? 0),
      returningCents: Number(r?.returning_cents ?? 0),
    };
  });
}
