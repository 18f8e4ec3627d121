import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HOLIDAY_RULES,
  dutchHolidayOn,
  dutchHolidays,
  kingsDay,
} from './dutch-holidays.ts';
import { isoDate } from './zoned-time.ts';

const list = (year: number, rules = DEFAULT_HOLIDAY_RULES) =>
  dutchHolidays(year, rules).map((h) => `${isoDate(h.date)} ${h.holiday}`);

describe('Dutch public holidays', () => {
  it('lists 2026 in date order with the default rules', () => {
    expect(list(2026)).toEqual([
      '2026-01-01 new-years-day',
      '2026-04-05 easter-sunday',
      '2026-04-06 easter-monday',
      '2026-04-27 kings-day',
      '2026-05-14 ascension-day',
      '2026-05-24 whit-sunday',
      '2026-05-25 whit-monday',
      '2026-12-25 christmas-day',
      '2026-12-26 boxing-day',
    ]);
  });

  it('gives Liberation Day off in a lustrum year by default (2025, 2030), not in others', () => {
    expect(list(2025)).toContain('2025-05-05 liberation-day');
    expect(list(2030)).toContain('2030-05-05 liberation-day');
    expect(list(2026).some((h) => h.endsWith('liberation-day'))).toBe(false);
  });

  it('keeps Liberation Day every year or never when the organisation says so', () => {
    expect(list(2026, { goodFriday: false, liberationDay: 'every-year' })).toContain(
      '2026-05-05 liberation-day',
    );
    expect(list(2025, { goodFriday: false, liberationDay: 'never' }).join()).not.toContain(
      'liberation',
    );
  });

  it('adds Good Friday (two days before Easter) only when chosen', () => {
    expect(list(2026).join()).not.toContain('good-friday');
    expect(list(2026, { goodFriday: true, liberationDay: 'lustrum' })).toContain(
      '2026-04-03 good-friday',
    );
    expect(list(2024, { goodFriday: true, liberationDay: 'lustrum' })[1]).toBe(
      '2024-03-29 good-friday',
    );
  });

  it('places the Easter-based days at their offsets in 2025 (Easter on 20 April)', () => {
    expect(list(2025)).toEqual([
      '2025-01-01 new-years-day',
      '2025-04-20 easter-sunday',
      '2025-04-21 easter-monday',
      '2025-04-26 kings-day',
      '2025-05-05 liberation-day',
      '2025-05-29 ascension-day',
      '2025-06-08 whit-sunday',
      '2025-06-09 whit-monday',
      '2025-12-25 christmas-day',
      '2025-12-26 boxing-day',
    ]);
  });
});

describe("King's Day", () => {
  it.each([
    [2014, 26], // 27 April 2014 was a Sunday: the first King's Day moved to Saturday
    [2015, 27],
    [2020, 27],
    [2025, 26], // Sunday the 27th
    [2026, 27],
    [2031, 26], // Sunday the 27th
    [2036, 26], // Sunday the 27th
    [2037, 27],
  ])('falls in %i on 26 or 27 April: %i', (year, day) => {
    expect(kingsDay(year)).toEqual({ year, month: 4, day });
  });

  it("was Queen's Day on 30 April before 2014, the 29th when the 30th was a Sunday", () => {
    expect(kingsDay(2013)).toEqual({ year: 2013, month: 4, day: 30 });
    expect(kingsDay(2006)).toEqual({ year: 2006, month: 4, day: 29 });
  });
});

describe('the holiday on a day', () => {
  it('names it, or gives null on an ordinary day', () => {
    expect(dutchHolidayOn({ year: 2026, month: 4, day: 27 })).toBe('kings-day');
    expect(dutchHolidayOn({ year: 2025, month: 4, day: 27 })).toBeNull();
    expect(dutchHolidayOn({ year: 2025, month: 4, day: 26 })).toBe('kings-day');
    expect(dutchHolidayOn({ year: 2026, month: 5, day: 14 })).toBe('ascension-day');
    expect(dutchHolidayOn({ year: 2026, month: 5, day: 13 })).toBeNull();
    expect(dutchHolidayOn({ year: 2026, month: 4, day: 3 })).toBeNull();
    expect(
      dutchHolidayOn(
        { year: 2026, month: 4, day: 3 },
        { goodFriday: true, liberationDay: 'never' },
      ),
    ).toBe('good-friday');
  });

  it('answers per rule set, not from another rule set cached for the same year', () => {
    const day = { year: 2026, month: 5, day: 5 };
    expect(dutchHolidayOn(day, { goodFriday: false, liberationDay: 'lustrum' })).toBeNull();
    expect(dutchHolidayOn(day, { goodFriday: false, liberationDay: 'every-year' })).toBe(
      'liberation-day',
    );
    expect(dutchHolidayOn(day, { goodFriday: false, liberationDay: 'lustrum' })).toBeNull();
  });
});
