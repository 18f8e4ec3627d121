import { describe, expect, it } from 'vitest';
import { calendarBuckets, localMidnight, parsePeriodBound } from './calendar.ts';

describe('report calendar (Europe/Amsterdam)', () => {
  it('puts local midnight at 23:00 UTC in winter and 22:00 UTC in summer', () => {
    expect(new Date(localMidnight(2026, 0, 1)).toISOString()).toBe('2025-12-31T23:00:00.000Z');
    expect(new Date(localMidnight(2026, 6, 1)).toISOString()).toBe('2026-06-30T22:00:00.000Z');
  });

  it('cuts months at local midnight across the DST changes', () => {
    const buckets = calendarBuckets(
      parsePeriodBound('2026-02-15', 'from') ?? 0,
      parsePeriodBound('2026-04-10', 'to') ?? 0,
      'month',
    );
    expect(buckets.map((b) => b.label)).toEqual(['2026-02', '2026-03', '2026-04']);
    expect(new Date(buckets[1]?.start ?? 0).toISOString()).toBe('2026-02-28T23:00:00.000Z');
    // March has 31 days minus the hour lost on the last Sunday.
    expect((buckets[1]?.end ?? 0) - (buckets[1]?.start ?? 0)).toBe((31 * 24 - 1) * 3600_000);
    expect(buckets[0]?.end).toBe(buckets[1]?.start);
  });

  it('groups quarters and crosses the year', () => {
    const buckets = calendarBuckets(
      localMidnight(2025, 10, 5),
      localMidnight(2026, 3, 2),
      'quarter',
    );
    expect(buckets.map((b) => b.label)).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
  });

  it('reads dates as whole local days and timestamps exactly', () => {
    expect(parsePeriodBound('2026-03-31', 'to')).toBe(localMidnight(2026, 3, 1));
    expect(parsePeriodBound('2026-03-31T10:00:00Z', 'to')).toBe(Date.UTC(2026, 2, 31, 10));
    expect(parsePeriodBound('2026-02-30', 'from')).toBeNull();
    expect(parsePeriodBound('31-03-2026', 'from')).toBeNull();
    expect(parsePeriodBound('2026-03-31T10:00:00', 'from')).toBeNull();
  });
});
