import { addDays, localDateOf, zonedInstant } from '../calendar/index.ts';
import type { VisitStatus } from '../visits/visit-record.ts';

/**
 * Revenue per calendar month (Europe/Amsterdam) and the part of it from customers who were new in
 * that month — the two sums earned growth needs (`earned-growth.ts`), kept per organisation and
 * month so the loyalty report reads a dozen rows instead of a year of visits.
 *
 * A customer's visit counts in the month it took place when it was not cancelled (a refund's
 * negative amount subtracts). It is **new** revenue when the customer's first completed visit is
 * not before that month's start (or the customer has none: only refunds so far); otherwise it is
 * returning revenue. A change to one visit can move a customer's first visit and so reclassify
 * their other visits: the change to the sums is the difference between the customer's whole
 * contribution before and after (`revenueMonthChanges`).
 */

export interface CountedVisit {
  visitedAt: number;
  amountCents: number;
  status: VisitStatus;
}

export interface RevenueMonth {
  /** The instant the month starts (local midnight of its first day). */
  monthStart: number;
  revenueCents: number;
  /** From customers whose first completed visit is not before the month's start (or who have none). */
  newRevenueCents: number;
}

/** The start of the local calendar month an instant falls in. */
export function monthStartOf(at: number): number {
  const d = localDateOf(at);
  return zonedInstant({ year: d.year, month: d.month, day: 1 });
}

/** The local calendar months, `[start, end)`, from the one holding `first` to the one holding `last`. */
export function monthsCovering(first: number, last: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const from = localDateOf(Math.min(first, last));
  const until = monthStartOf(Math.max(first, last));
  for (let i = 0; ; i++) {
    const start = zonedInstant(addDays({ year: from.year, month: from.month + i, day: 1 }, 0));
    if (start > until) break;
    const end = zonedInstant(addDays({ year: from.year, month: from.month + i + 1, day: 1 }, 0));
    out.push({ start, end });
  }
  return out;
}

/** One customer's contribution to every month they have revenue in. */
export function customerRevenueMonths(visits: readonly CountedVisit[]): RevenueMonth[] {
  let first: number | null = null;
  for (const v of visits) {
    if (v.status === 'completed' && (first === null || v.visitedAt < first)) first = v.visitedAt;
  }
  const byMonth = new Map<number, RevenueMonth>();
  for (const v of visits) {
    if (v.status === 'cancelled') continue;
    const monthStart = monthStartOf(v.visitedAt);
    const m = byMonth.get(monthStart) ?? { monthStart, revenueCents: 0, newRevenueCents: 0 };
    m.revenueCents += v.amountCents;
    if (first === null || first >= monthStart) m.newRevenueCents += v.amountCents;
    byMonth.set(monthStart, m);
  }
  return [...byMonth.values()];
}

function accumulate(
  into: Map<number, RevenueMonth>,
  months: readonly RevenueMonth[],
  sign: 1 | -1,
): void {
  for (const m of months) {
    const o = into.get(m.monthStart) ?? {
      monthStart: m.monthStart,
      revenueCents: 0,
      newRevenueCents: 0,
    };
    o.revenueCents += sign * m.revenueCents;
    o.newRevenueCents += sign * m.newRevenueCents;
    into.set(m.monthStart, o);
  }
}

function nonZeroInOrder(months: Map<number, RevenueMonth>): RevenueMonth[] {
  return [...months.values()]
    .filter((m) => m.revenueCents !== 0 || m.newRevenueCents !== 0)
    .sort((a, b) => a.monthStart - b.monthStart);
}

/**
 * What a change to a customer's visits changes in the monthly sums: their contribution after minus
 * their contribution before, for the months where it differs, in month order.
 */
export function revenueMonthChanges(
  before: readonly CountedVisit[],
  after: readonly CountedVisit[],
): RevenueMonth[] {
  const out = new Map<number, RevenueMonth>();
  accumulate(out, customerRevenueMonths(after), 1);
  accumulate(out, customerRevenueMonths(before), -1);
  return nonZeroInOrder(out);
}

/** Changes of several customers summed per month (the months that change), in month order. */
export function sumRevenueMonths(lists: readonly (readonly RevenueMonth[])[]): RevenueMonth[] {
  const out = new Map<number, RevenueMonth>();
  for (const months of lists) accumulate(out, months, 1);
  return nonZeroInOrder(out);
}
