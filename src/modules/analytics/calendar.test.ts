import { describe, expect, it } from 'vitest';
import {
  addLocalDays,
  calendarBuckets,
  isLocalMidnight,
  localDayFinder,
  localMidnight,
  parsePeriodBound,
  startOfLocalDay,
  startOfLocalWeek,
} from './calendar.ts';

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

  it('cuts ISO weeks on Monday local midnight, across a year and a DST change', () => {
    // Thursday 1 January 2026 lies in ISO week 2026-W01, which starts Monday 29 December 2025.
    const buckets = calendarBuckets(localMidnight(2026, 0, 1), localMidnight(2026, 0, 6), 'week');
    expect(buckets.map((b) => b.label)).toEqual(['2026-W01', '2026-W02']);
    expect(buckets[0]?.start).toBe(localMidnight(2025, 11, 29));
    // 28 December 2026 (Monday) is in 2026-W53; 4 January 2027 starts 2027-W01.
    const turn = calendarBuckets(localMidnight(2026, 11, 28), localMidnight(2027, 0, 5), 'week');
    expect(turn.map((b) => b.label)).toEqual(['2026-W53', '2027-W01']);
    // The week of the spring DST change (Monday 23 March 2026) is one hour short.
    const spring = calendarBuckets(localMidnight(2026, 2, 24), localMidnight(2026, 2, 25), 'week');
    expect((spring[0]?.end ?? 0) - (spring[0]?.start ?? 0)).toBe((7 * 24 - 1) * 3600_000);
  });

  it('finds the start of a local day and adds calendar days across DST', () => {
    const noon = Date.UTC(2026, 2, 29, 11); // 13:00 local on the day clocks go forward
    expect(startOfLocalDay(noon)).toBe(localMidnight(2026, 2, 29));
    expect(addLocalDays(noon, 1) - startOfLocalDay(noon)).toBe(23 * 3600_000);
    expect(addLocalDays(noon, -89)).toBe(localMidnight(2025, 11, 30));
    expect(isLocalMidnight(localMidnight(2026, 2, 29))).toBe(true);
    expect(isLocalMidnight(noon)).toBe(false);
  });

  it('finds the same day as startOfLocalDay for instants in any order, around midnight and DST', () => {
    const dayOf = localDayFinder();
    const instants: number[] = [];
    // Every 7 minutes from the evening before the clocks go forward to the morning after they go
    // back in 2026, visited forwards, backwards and jumping between days.
    for (const [from, to] of [
      [Date.UTC(2026, 2, 28, 20), Date.UTC(2026, 2, 30, 4)],
      [Date.UTC(2026, 9, 24, 20), Date.UTC(2026, 9, 26, 4)],
    ] as const) {
      for (let ms = from; ms < to; ms += 7 * 60_000) instants.push(ms);
    }
    const visits = [
      ...instants,
      ...[...instants].reverse(),
      ...instants.filter((_, i) => i % 5 === 0),
    ];
    visits.push(
      localMidnight(2026, 2, 29),
      localMidnight(2026, 2, 29) - 1,
      localMidnight(2026, 9, 26),
    );
    for (const ms of visits)
      expect(dayOf(ms), new Date(ms).toISOString()).toBe(startOfLocalDay(ms));
  });

  it('finds the Monday local midnight of the week of an instant, across a year and the DST changes', () => {
    // Sunday 29 March 2026, noon (summer time began at 02:00): the week began Monday 23 March.
    expect(startOfLocalWeek(localMidnight(2026, 2, 29) + 12 * 3600_000)).toBe(
      localMidnight(2026, 2, 23),
    );
    // Monday 30 March, 00:00 local: its own week; one millisecond earlier: the week before.
    expect(startOfLocalWeek(localMidnight(2026, 2, 30))).toBe(localMidnight(2026, 2, 30));
    expect(startOfLocalWeek(localMidnight(2026, 2, 30) - 1)).toBe(localMidnight(2026, 2, 23));
    // Thursday 1 January 2026: the week began Monday 29 December 2025.
    expect(startOfLocalWeek(localMidnight(2026, 0, 1) + 3600_000)).toBe(
      localMidnight(2025, 11, 29),
    );
    // Sunday 25 October 2026, 23:59 local (winter time since 03:00): Monday 19 October.
    expect(startOfLocalWeek(localMidnight(2026, 9, 26) - 60_000)).toBe(localMidnight(2026, 9, 19));
    // The same weeks as the trend's ISO week buckets.
    for (const bucket of calendarBuckets(
      localMidnight(2025, 11, 1),
      localMidnight(2026, 3, 1),
      'week',
    )) {
      expect(startOfLocalWeek(bucket.start)).toBe(bucket.start);
      expect(startOfLocalWeek(bucket.end - 1)).toBe(bucket.start);
    }
  });
});
