import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { scopeCondition, type RecordScope } from '../auth/record-scope.ts';

const DAY = 86_400_000;

export interface ReferredRevenueRow {
  /** Index of the span in the list asked for. */
  span: number;
  ambassadorId: string;
  /** The ambassador's account manager (the owner of the ambassador's contact). */
  ownerEmployeeId: string | null;
  /** Referred friends whose first completed visit falls in the span. */
  customers: number;
  /** Their revenue in the span (visits not cancelled; refunds subtract), in cents. */
  revenueCents: number;
}

/**
 * Revenue from referred new customers, per span (`[start, end)` instants) and per ambassador, in
 * one aggregate statement — the one definition that earned growth (loyalty report) and the
 * programme's dashboard both read:
 *
 * A referred customer is the friend (`referrals.contact_id`) of a referral whose conversion stands
 * (converted, not cancelled or refunded within the hold) and that the fraud rules did not reject;
 * a friend referred twice counts once, for the referral that converted first. They are new in the
 * span of their first completed visit — the same "first visit" by which the loyalty report calls
 * a customer returning, so a euro is never both — and only when that visit came after the lead (a
 * friend who was a customer before the referral was not brought in by it; one day of slack, as the
 * conversion on a visit allows). Their revenue in that span is every visit not cancelled.
 *
 * Driven from the referrals (few) into the visits through the (organisation, contact, time)
 * index, so the cost does not grow with the organisation's other visits.
 */
export async function referredRevenue(
  db: Executor,
  organisationId: string,
  scope: RecordScope,
  spans: readonly { start: number; end: number }[],
): Promise<ReferredRevenueRow[]> {
  if (spans.length === 0) return [];
  const values = sql.join(
    spans.map(
      (s, i) => sql`(cast(${i} as integer), cast(${s.start} as bigint), cast(${s.end} as bigint))`,
    ),
  );
  const result = await sql<{
    span: number;
    ambassador_id: string;
    owner_employee_id: string | null;
    customers: number;
    revenue: number | null;
  }>`
    with spans(span, start_at, end_at) as (values ${values}),
    referred as (
      select f.contact_id, f.ambassador_id, c.owner_employee_id, f.created_at,
        row_number() over (partition by f.contact_id order by f.converted_at, f.id) as nth
      from referrals f
      join ambassadors a on a.id = f.ambassador_id and a.organisation_id = f.organisation_id
      join contacts c on c.id = a.contact_id and c.organisation_id = a.organisation_id
      where f.organisation_id = ${organisationId} and f.status = 'converted'
        and f.contact_id is not null and f.conversion_cancelled_at is null
        and f.verdict <> 'ineligible'
        and ${scopeCondition('c.owner_employee_id', scope)}
    ),
    firsts as materialized (
      select r.contact_id, max(r.ambassador_id) as ambassador_id,
        max(r.owner_employee_id) as owner_employee_id, max(r.created_at) as referred_at,
        min(v.visited_at) as first_at
      from referred r
      cross join visits v
      where r.nth = 1 and v.organisation_id = ${organisationId} and v.contact_id = r.contact_id
        and v.status = 'completed'
      -- One referral per contact (nth = 1): the max() only carry its columns through.
      group by r.contact_id
    ),
    -- The referred customers' visits, read through the contact index and materialised. The cross
    -- joins keep SQLite's planner on that road (it takes a cross join's order as written; PostgreSQL
    -- plans it as any inner join): starting from the organisation's million visits and matching
    -- each against the few referred customers costs a hundred times more.
    visited as materialized (
      select f.contact_id, f.ambassador_id, f.owner_employee_id, f.first_at, v.visited_at,
        v.amount_cents
      from firsts f
      cross join visits v
      where f.first_at >= f.referred_at - ${DAY} and v.organisation_id = ${organisationId}
        and v.contact_id = f.contact_id and v.status <> 'cancelled'
    )
    select s.span, x.ambassador_id, x.owner_employee_id,
      count(distinct x.contact_id) as customers, sum(x.amount_cents) as revenue
    from spans s
    join visited x on x.first_at >= s.start_at and x.first_at < s.end_at
      and x.visited_at >= s.start_at and x.visited_at < s.end_at
    group by s.span, x.ambassador_id, x.owner_employee_id
    order by s.span`.execute(db);
  return result.rows.map((r) => ({
    span: Number(r.span),
    ambassadorId: r.ambassador_id,
    ownerEmployeeId: r.owner_employee_id,
    customers: Number(r.customers),
    revenueCents: Number(r.revenue ?? 0),
  }));
}

/** The rows summed per span: referred new customers and their revenue, one entry per span. */
export function perSpan(
  rows: readonly ReferredRevenueRow[],
  spans: number,
): { customers: number; revenueCents: number }[] {
  const out = Array.from({ length: spans }, () => ({ customers: 0, revenueCents: 0 }));
  for (const r of rows) {
    const s = out[r.span];
    if (!s) continue;
    s.customers += r.customers;
    s.revenueCents += r.revenueCents;
  }
  return out;
}
