import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iso, isoString } from './time.ts';

const DAY = 86_400_000;
const native = (ms: number) => new Date(ms).toISOString();

describe('isoString: the ISO 8601 form of a moment, as Date prints it', () => {
  it('equals Date for any millisecond from 1970 to the end of year 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (ms) => {
        expect(isoString(ms)).toBe(native(ms));
      }),
      { numRuns: 20_000 },
    );
  });

  it('equals Date on every day boundary of four centuries, leap days and century years included', () => {
    // 1970 to 2370: each day's first and last millisecond (1900 and 2100 are not leap years, 2000 is).
    for (let day = 0; day < 146_097; day++) {
      for (const ms of [day * DAY, day * DAY + DAY - 1]) expect(isoString(ms)).toBe(native(ms));
    }
    expect(isoString(Date.UTC(2000, 1, 29, 12))).toBe('2000-02-29T12:00:00.000Z');
    expect(isoString(Date.UTC(2100, 2, 1))).toBe('2100-03-01T00:00:00.000Z');
    expect(isoString(Date.UTC(2026, 11, 1, 3, 4, 5, 7))).toBe('2026-12-01T03:04:05.007Z');
  });

  it('leaves moments before 1970, after year 9999 and fractions to Date', () => {
    for (const ms of [
      -1,
      -DAY * 365 * 100 - 17,
      253_402_300_800_000,
      8.64e15,
      1.5,
      1_700_000_000_000.9,
    ]) {
      expect(isoString(ms)).toBe(native(ms));
    }
    expect(() => isoString(Number.NaN)).toThrow(RangeError);
  });

  it('iso keeps null as null', () => {
    expect(iso(null)).toBeNull();
    expect(iso(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});
