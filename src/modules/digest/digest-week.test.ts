import { describe, expect, it } from 'vitest';
import { reportedWeek, weekOf } from './digest-week.ts';

describe('the week a digest reports', () => {
  it('is the Monday-to-Sunday week that just ended, on the Monday it goes out', () => {
    // Monday 30 November 2026, 07:00 in Amsterdam (UTC+1).
    const w = reportedWeek(Date.parse('2026-11-30T07:00+01:00'));
    expect(w.label).toBe('2026-W48');
    expect(new Date(w.from).toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect(new Date(w.to).toISOString()).toBe('2026-11-29T23:00:00.000Z');
  });

  it('counts local days: just after midnight on Monday is already Monday', () => {
    expect(reportedWeek(Date.parse('2026-11-29T23:30Z')).label).toBe('2026-W48');
    expect(reportedWeek(Date.parse('2026-11-29T22:30Z')).label).toBe('2026-W47');
  });

  it('crosses the year like ISO 8601 does', () => {
    // Monday 4 January 2027 reports 28 December 2026 – 3 January 2027, week 53 of 2026.
    expect(reportedWeek(Date.parse('2027-01-04T07:00+01:00')).label).toBe('2026-W53');
    expect(reportedWeek(Date.parse('2026-01-05T07:00+01:00')).label).toBe('2026-W01');
  });

  it('reads a label back to the same bounds, across summer time', () => {
    for (const now of [
      Date.parse('2026-11-30T07:00+01:00'),
      Date.parse('2026-03-30T07:00+02:00'), // the week of the switch to summer time
      Date.parse('2026-10-26T07:00+01:00'), // and back
      Date.parse('2027-01-04T07:00+01:00'),
    ]) {
      const w = reportedWeek(now);
      expect(weekOf(w.label)).toEqual(w);
    }
    const summer = weekOf('2026-W13');
    expect(summer && (summer.to - summer.from) / 3_600_000).toBe(167);
  });

  it('refuses a label that names no week', () => {
    expect(weekOf('2026-W54')).toBeNull();
    expect(weekOf('2026-W00')).toBeNull();
    expect(weekOf('2027-W53')).toBeNull();
    expect(weekOf('2026-48')).toBeNull();
  });
});
