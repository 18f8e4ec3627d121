import { describe, expect, it } from 'vitest';
import { easterSunday } from './easter.ts';
import { weekdayOf } from './zoned-time.ts';

describe('Easter Sunday', () => {
  it.each([
    [2000, 4, 23],
    [2019, 4, 21],
    [2024, 3, 31],
    [2025, 4, 20],
    [2026, 4, 5],
    [2027, 3, 28],
    [2028, 4, 16],
    [2038, 4, 25], // the latest possible date
    [2285, 3, 22], // the earliest possible date
    [1818, 3, 22],
    [1943, 4, 25],
  ])('falls in %i on %i/%i', (year, month, day) => {
    expect(easterSunday(year)).toEqual({ year, month, day });
  });

  it('is always a Sunday between 22 March and 25 April', () => {
    for (let year = 1900; year <= 2300; year++) {
      const e = easterSunday(year);
      expect(weekdayOf(e)).toBe(0);
      const md = e.month * 100 + e.day;
      expect(md).toBeGreaterThanOrEqual(322);
      expect(md).toBeLessThanOrEqual(425);
    }
  });

  it('refuses a year before the Gregorian calendar or a fraction', () => {
    expect(() => easterSunday(1500)).toThrow(RangeError);
    expect(() => easterSunday(2026.5)).toThrow(RangeError);
  });
});
