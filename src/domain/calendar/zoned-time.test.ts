import { describe, expect, it } from 'vitest';
import {
  addDays,
  isKnownTimeZone,
  isoDate,
  localDateOf,
  localMinuteOf,
  parseIsoDate,
  weekdayOf,
  zoneOffsetAt,
  zonedInstant,
} from './zoned-time.ts';

const at = (iso: string) => Date.parse(iso);

describe('wall-clock time in Europe/Amsterdam', () => {
  it('is UTC+1 in winter and UTC+2 in summer', () => {
    expect(zoneOffsetAt(at('2026-01-15T12:00Z'))).toBe(3_600_000);
    expect(zoneOffsetAt(at('2026-07-15T12:00Z'))).toBe(7_200_000);
  });

  it('turns a local date and time into the instant, on both sides of a clock change', () => {
    expect(zonedInstant({ year: 2026, month: 3, day: 27 }, 9 * 60)).toBe(at('2026-03-27T08:00Z'));
    expect(zonedInstant({ year: 2026, month: 3, day: 30 }, 9 * 60)).toBe(at('2026-03-30T07:00Z'));
    expect(zonedInstant({ year: 2026, month: 10, day: 26 }, 9 * 60)).toBe(at('2026-10-26T08:00Z'));
  });

  it('maps 02:30 on the spring-forward night to 03:30, and on the fall-back night to its first occurrence', () => {
    // 29 March 2026: 02:00 CET becomes 03:00 CEST.
    expect(zonedInstant({ year: 2026, month: 3, day: 29 }, 150)).toBe(at('2026-03-29T01:30Z'));
    // 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens at 00:30Z and at 01:30Z.
    expect(zonedInstant({ year: 2026, month: 10, day: 25 }, 150)).toBe(at('2026-10-25T00:30Z'));
  });

  it('reads a time later on the night of a clock change with the new offset', () => {
    // Noon on the spring-forward day is CEST (UTC+2), before the change it was CET.
    expect(zonedInstant({ year: 2026, month: 3, day: 29 }, 12 * 60)).toBe(at('2026-03-29T10:00Z'));
    expect(zonedInstant({ year: 2026, month: 3, day: 29 }, 23 * 60)).toBe(at('2026-03-29T21:00Z'));
    // Noon on the fall-back day is CET (UTC+1).
    expect(zonedInstant({ year: 2026, month: 10, day: 25 }, 12 * 60)).toBe(at('2026-10-25T11:00Z'));
    expect(zonedInstant({ year: 2026, month: 10, day: 25 }, 60)).toBe(at('2026-10-24T23:00Z'));
  });

  it('gives the offset in whole hours at any second of the minute', () => {
    expect(zoneOffsetAt(at('2026-01-15T12:34:56.789Z'))).toBe(3_600_000);
    expect(zoneOffsetAt(at('2026-07-15T12:34:07Z'))).toBe(7_200_000);
  });

  it('prints a year before 1000 with four digits', () => {
    expect(isoDate({ year: 800, month: 1, day: 2 })).toBe('0800-01-02');
  });

  it('gives midnight of a day as the start of that local day', () => {
    expect(zonedInstant({ year: 2026, month: 6, day: 1 })).toBe(at('2026-05-31T22:00Z'));
    expect(localDateOf(at('2026-05-31T22:00Z'))).toEqual({ year: 2026, month: 6, day: 1 });
    expect(localDateOf(at('2026-05-31T21:59:59.999Z'))).toEqual({ year: 2026, month: 5, day: 31 });
  });

  it('reads the local minute of the day', () => {
    expect(localMinuteOf(at('2026-11-29T15:30Z'))).toBe(16 * 60 + 30);
    expect(localMinuteOf(at('2026-07-01T21:59Z'))).toBe(23 * 60 + 59);
    expect(localMinuteOf(at('2026-07-01T22:00Z'))).toBe(0);
  });

  it('accepts overflowing days and months', () => {
    expect(zonedInstant({ year: 2026, month: 12, day: 32 })).toBe(at('2026-12-31T23:00Z'));
    expect(addDays({ year: 2026, month: 2, day: 28 }, 1)).toEqual({ year: 2026, month: 3, day: 1 });
    expect(addDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({
      year: 2028,
      month: 2,
      day: 29,
    });
    expect(addDays({ year: 2027, month: 1, day: 1 }, -1)).toEqual({
      year: 2026,
      month: 12,
      day: 31,
    });
  });

  it('knows the weekday, and prints and parses ISO dates', () => {
    expect(weekdayOf({ year: 2026, month: 11, day: 29 })).toBe(0);
    expect(weekdayOf({ year: 2026, month: 4, day: 27 })).toBe(1);
    expect(isoDate({ year: 2026, month: 4, day: 7 })).toBe('2026-04-07');
    expect(parseIsoDate('2026-04-07')).toEqual({ year: 2026, month: 4, day: 7 });
    expect(parseIsoDate('2026-02-30')).toBeNull();
    expect(parseIsoDate('2026-4-7')).toBeNull();
    expect(parseIsoDate('7 april')).toBeNull();
  });

  it('works in another zone when asked', () => {
    expect(zonedInstant({ year: 2026, month: 1, day: 1 }, 0, 'America/New_York')).toBe(
      at('2026-01-01T05:00Z'),
    );
    expect(localDateOf(at('2026-01-01T03:00Z'), 'America/New_York')).toEqual({
      year: 2025,
      month: 12,
      day: 31,
    });
  });

  it('knows the zones of the runtime, and keeps refusing one it does not know when asked again', () => {
    expect(isKnownTimeZone('Europe/Amsterdam')).toBe(true);
    expect(isKnownTimeZone('America/New_York')).toBe(true);
    expect(isKnownTimeZone('Europe/Atlantis')).toBe(false);
    expect(isKnownTimeZone('Europe/Atlantis')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });
});
