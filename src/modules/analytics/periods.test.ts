import { describe, expect, it } from 'vitest';
import { addLocalDays, isLocalMidnight, localMidnight, parsePeriodBound } from './calendar.ts';
import { resolvePeriods } from './insight.service.ts';
import { planSource } from './score-source.ts';

const day = (iso: string, side: 'from' | 'to') => parsePeriodBound(iso, side) ?? Number.NaN;

describe('the period before a screen’s period', () => {
  it('is as many whole local days across the change to winter time, so rollups answer it', () => {
    // 1 November 2026 to 29 January 2027 (90 days); the 90 days before cross 25 October.
    const input = { from: day('2026-11-01', 'from'), to: day('2027-01-29', 'to') };
    const { current, previous } = resolvePeriods(input, input.to);
    expect(previous.to).toBe(current.from);
    expect(previous.from).toBe(localMidnight(2026, 7, 3));
    expect(new Date(previous.from).toISOString()).toBe('2026-08-02T22:00:00.000Z');
    expect(isLocalMidnight(previous.from)).toBe(true);
    // An hour longer in milliseconds than the current 90 days: the 25 October has 25 hours.
    expect(previous.to - previous.from - (current.to - current.from)).toBe(3_600_000);
    const filter = { organisationId: 'o', scope: { kind: 'all' as const }, ...previous };
    expect(planSource(filter, current.to).kind).toBe('daily');
  });

  it('is as many whole local days across the change to summer time', () => {
    const input = { from: day('2026-04-01', 'from'), to: day('2026-04-30', 'to') };
    const { current, previous } = resolvePeriods(input, input.to);
    expect(new Date(previous.from).toISOString()).toBe('2026-03-01T23:00:00.000Z');
    expect(previous.from).toBe(addLocalDays(current.from, -30));
    expect(current.to - current.from - (previous.to - previous.from)).toBe(3_600_000);
  });

  it('defaults to the 90 local days up to tonight and the 90 before, both whole days', () => {
    const now = Date.parse('2026-11-30T05:00:00Z');
    const { current, previous } = resolvePeriods({}, now);
    expect(new Date(current.to).toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(current.from).toBe(addLocalDays(current.to, -90));
    expect(previous.from).toBe(addLocalDays(current.to, -180));
    expect(new Date(previous.from).toISOString()).toBe('2026-06-03T22:00:00.000Z');
  });

  it('keeps the same length in milliseconds for a period that is not whole days', () => {
    const from = Date.parse('2026-10-20T10:30:00Z');
    const to = Date.parse('2026-10-30T10:30:00Z');
    const { previous } = resolvePeriods({ from, to }, to);
    expect(previous).toEqual({ from: from - (to - from), to: from });
    expect(() => resolvePeriods({ from: to, to: from }, to)).toThrow();
  });
});
