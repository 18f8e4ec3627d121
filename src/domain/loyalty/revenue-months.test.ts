import { describe, expect, it } from 'vitest';
import { zonedInstant } from '../calendar/index.ts';
import {
  customerRevenueMonths,
  monthStartOf,
  monthsCovering,
  revenueMonthChanges,
  sumRevenueMonths,
  type CountedVisit,
} from './revenue-months.ts';

const local = (year: number, month: number, day: number, minute = 600) =>
  zonedInstant({ year, month, day }, minute);
const start = (year: number, month: number) => zonedInstant({ year, month, day: 1 });
const visit = (
  at: number,
  euros: number,
  status: CountedVisit['status'] = 'completed',
): CountedVisit => ({ visitedAt: at, amountCents: euros * 100, status });

describe('revenue per calendar month', () => {
  it('puts a visit in its local month: 00:30 on 1 March in Amsterdam is March, 23:30 UTC before', () => {
    // 1 March 2026 00:30 CET is 28 February 23:30 UTC.
    expect(monthStartOf(local(2026, 3, 1, 30))).toBe(start(2026, 3));
    expect(monthStartOf(start(2026, 3) - 1)).toBe(start(2026, 2));
    // Summer time: 1 July 00:00 CEST is 30 June 22:00 UTC.
    expect(monthStartOf(start(2026, 7))).toBe(start(2026, 7));
    expect(start(2026, 7)).toBe(Date.UTC(2026, 5, 30, 22));
  });

  it('lists the months from the first to the last, across a year end, each ending where the next starts', () => {
    const months = monthsCovering(local(2025, 11, 20), local(2026, 2, 3));
    expect(months).toEqual([
      { start: start(2025, 11), end: start(2025, 12) },
      { start: start(2025, 12), end: start(2026, 1) },
      { start: start(2026, 1), end: start(2026, 2) },
      { start: start(2026, 2), end: start(2026, 3) },
    ]);
    expect(monthsCovering(local(2026, 2, 3), local(2025, 11, 20))).toEqual(months);
    expect(monthsCovering(local(2026, 4, 1), local(2026, 4, 30))).toEqual([
      { start: start(2026, 4), end: start(2026, 5) },
    ]);
  });

  it('counts the first month of a customer as new revenue and later months as returning', () => {
    // First visit 10 January (€ 100); a second in January (€ 50), one in March (€ 80), a refund in
    // March (− € 30) and a cancelled visit in February (counts for nothing).
    const months = customerRevenueMonths([
      visit(local(2026, 3, 4), 80),
      visit(local(2026, 1, 10), 100),
      visit(local(2026, 1, 25), 50),
      visit(local(2026, 2, 14), 500, 'cancelled'),
      visit(local(2026, 3, 20), -30, 'refund'),
    ]);
    expect(months.sort((a, b) => a.monthStart - b.monthStart)).toEqual([
      { monthStart: start(2026, 1), revenueCents: 15_000, newRevenueCents: 15_000 },
      { monthStart: start(2026, 3), revenueCents: 5_000, newRevenueCents: 0 },
    ]);
  });

  it('a customer with only refunds, or a refund before their first visit, is new in that month', () => {
    expect(customerRevenueMonths([visit(local(2026, 5, 2), -20, 'refund')])).toEqual([
      { monthStart: start(2026, 5), revenueCents: -2000, newRevenueCents: -2000 },
    ]);
    const months = customerRevenueMonths([
      visit(local(2026, 4, 2), -20, 'refund'),
      visit(local(2026, 6, 2), 70),
    ]);
    expect(months).toEqual([
      { monthStart: start(2026, 4), revenueCents: -2000, newRevenueCents: -2000 },
      { monthStart: start(2026, 6), revenueCents: 7000, newRevenueCents: 7000 },
    ]);
  });

  it('an earlier visit arriving late turns the old first month into returning revenue', () => {
    const before = [visit(local(2026, 3, 4), 80), visit(local(2026, 4, 4), 60)];
    const after = [visit(local(2026, 1, 8), 40), ...before];
    expect(revenueMonthChanges(before, after)).toEqual([
      { monthStart: start(2026, 1), revenueCents: 4000, newRevenueCents: 4000 },
      { monthStart: start(2026, 3), revenueCents: 0, newRevenueCents: -8000 },
    ]);
    // And back: cancelling the first visit makes March new again.
    const cancelled = [visit(local(2026, 1, 8), 40, 'cancelled'), ...before];
    expect(revenueMonthChanges(after, cancelled)).toEqual([
      { monthStart: start(2026, 1), revenueCents: -4000, newRevenueCents: -4000 },
      { monthStart: start(2026, 3), revenueCents: 0, newRevenueCents: 8000 },
    ]);
  });

  it('a change that changes nothing in the sums changes no month', () => {
    const visits = [visit(local(2026, 3, 4), 80), visit(local(2026, 3, 9), 20)];
    expect(revenueMonthChanges(visits, [...visits].reverse())).toEqual([]);
    // Moved within the month: same sums.
    expect(
      revenueMonthChanges([visit(local(2026, 3, 4), 80)], [visit(local(2026, 3, 28), 80)]),
    ).toEqual([]);
    expect(revenueMonthChanges([], [])).toEqual([]);
  });

  it('sums several customers per month and drops the months that come to nothing', () => {
    expect(
      sumRevenueMonths([
        [{ monthStart: start(2026, 2), revenueCents: 100, newRevenueCents: 100 }],
        [
          { monthStart: start(2026, 2), revenueCents: -100, newRevenueCents: -100 },
          { monthStart: start(2026, 1), revenueCents: 5, newRevenueCents: 0 },
        ],
        [{ monthStart: start(2026, 1), revenueCents: 0, newRevenueCents: 3 }],
      ]),
    ).toEqual([{ monthStart: start(2026, 1), revenueCents: 5, newRevenueCents: 3 }]);
  });
});
