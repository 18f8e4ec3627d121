import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_WORKING_CALENDAR,
  addWorkingDays,
  addWorkingTime,
  closedReason,
  isWorkingDay,
  nextWorkingMoment,
  workingCalendar,
  workingDayLength,
  workingDaysBetween,
  workingTimeBetween,
} from './working-time.ts';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const cal = DEFAULT_WORKING_CALENDAR;

describe('working days in the Netherlands', () => {
  it('is open on weekdays, closed at weekends, on holidays and on the organisation’s own closed days', () => {
    expect(isWorkingDay({ year: 2026, month: 4, day: 24 }, cal)).toBe(true);
    expect(closedReason({ year: 2026, month: 4, day: 25 }, cal)).toBe('weekend');
    expect(closedReason({ year: 2026, month: 4, day: 27 }, cal)).toBe('holiday');
    const bridge = workingCalendar({ closedDates: ['2026-05-15'] });
    expect(closedReason({ year: 2026, month: 5, day: 15 }, bridge)).toBe('closed-date');
    expect(closedReason({ year: 2026, month: 5, day: 15 }, cal)).toBeNull();
  });

  it('has an eight-hour day by default', () => {
    expect(workingDayLength(cal)).toBe(8 * HOUR);
  });
});

describe('adding working time (due times)', () => {
  it('skips a weekend: Friday 16:00 plus two working days is Tuesday 16:00', () => {
    // 20 November 2026 is a Friday; winter time, UTC+1.
    expect(addWorkingDays(at('2026-11-20T16:00+01:00'), 2, cal)).toBe(at('2026-11-24T16:00+01:00'));
  });

  it("skips King's Day 2026 (Monday 27 April) after a weekend", () => {
    // Fri 1 h, Sat–Sun closed, Mon King's Day, Tue 8 h, Wed 7 h.
    expect(addWorkingDays(at('2026-04-24T16:00+02:00'), 2, cal)).toBe(at('2026-04-29T16:00+02:00'));
  });

  it("skips King's Day 2025, moved to Saturday 26 April, for an office open on Saturdays", () => {
    const saturdays = workingCalendar({ officeHours: { days: [1, 2, 3, 4, 5, 6] } });
    // Fri 25 April 16:00: Fri 1 h, Sat 26 King's Day, Sun closed, Mon 28 8 h, Tue 29 7 h.
    expect(addWorkingDays(at('2025-04-25T16:00+02:00'), 2, saturdays)).toBe(
      at('2025-04-29T16:00+02:00'),
    );
    // The Saturday after, 3 May 2025, is an ordinary open day for that office.
    expect(addWorkingTime(at('2025-05-02T16:00+02:00'), 2 * HOUR, saturdays)).toBe(
      at('2025-05-03T10:00+02:00'),
    );
  });

  it('skips Ascension Day (Thursday 14 May 2026)', () => {
    // Wed 10:00: Wed 7 h, Thu closed, Fri 8 h, weekend, Mon 1 h.
    expect(addWorkingDays(at('2026-05-13T10:00+02:00'), 2, cal)).toBe(at('2026-05-18T10:00+02:00'));
  });

  it('skips Whit Monday and Easter Monday', () => {
    expect(addWorkingDays(at('2026-05-22T12:00+02:00'), 1, cal)).toBe(at('2026-05-26T12:00+02:00'));
    expect(addWorkingDays(at('2026-04-02T12:00+02:00'), 1, cal)).toBe(at('2026-04-03T12:00+02:00'));
    expect(addWorkingDays(at('2026-04-03T12:00+02:00'), 1, cal)).toBe(at('2026-04-07T12:00+02:00'));
  });

  it('skips Good Friday only for an organisation that keeps it closed', () => {
    const closed = workingCalendar({ holidays: { goodFriday: true } });
    expect(addWorkingDays(at('2026-04-02T12:00+02:00'), 1, closed)).toBe(
      at('2026-04-07T12:00+02:00'),
    );
  });

  it('skips Liberation Day in 2025 (lustrum) but not in 2026, unless kept every year', () => {
    expect(addWorkingDays(at('2025-05-02T12:00+02:00'), 1, cal)).toBe(at('2025-05-06T12:00+02:00'));
    expect(addWorkingDays(at('2026-05-04T12:00+02:00'), 1, cal)).toBe(at('2026-05-05T12:00+02:00'));
    const yearly = workingCalendar({ holidays: { liberationDay: 'every-year' } });
    expect(addWorkingDays(at('2026-05-04T12:00+02:00'), 1, yearly)).toBe(
      at('2026-05-06T12:00+02:00'),
    );
  });

  it('skips Christmas and the weekend after it, and New Year’s Day', () => {
    expect(addWorkingDays(at('2026-12-24T15:00+01:00'), 1, cal)).toBe(at('2026-12-28T15:00+01:00'));
    expect(addWorkingDays(at('2026-12-31T15:00+01:00'), 1, cal)).toBe(at('2027-01-04T15:00+01:00'));
  });

  it('skips the organisation’s own closed days', () => {
    const bridge = workingCalendar({ closedDates: ['2026-05-15'] });
    // Wed 13 May 10:00: Wed 7 h, Thu Ascension, Fri bridge day, weekend, Mon 8 h, Tue 1 h.
    expect(addWorkingDays(at('2026-05-13T10:00+02:00'), 2, bridge)).toBe(
      at('2026-05-19T10:00+02:00'),
    );
  });

  it('keeps the local time across the change to summer time', () => {
    // Friday 27 March 2026 16:00 CET; clocks go forward on Sunday the 29th.
    expect(addWorkingDays(at('2026-03-27T16:00+01:00'), 1, cal)).toBe(at('2026-03-30T16:00+02:00'));
  });

  it('starts counting at opening time for an answer given at night or at the weekend', () => {
    expect(addWorkingTime(at('2026-11-23T07:00+01:00'), HOUR, cal)).toBe(
      at('2026-11-23T10:00+01:00'),
    );
    expect(addWorkingTime(at('2026-11-23T18:00+01:00'), HOUR, cal)).toBe(
      at('2026-11-24T10:00+01:00'),
    );
    expect(addWorkingDays(at('2026-11-21T10:00+01:00'), 2, cal)).toBe(at('2026-11-24T17:00+01:00'));
  });

  it('ends at closing time, not at the next opening, when the time runs out at 17:00', () => {
    expect(addWorkingTime(at('2026-11-23T09:00+01:00'), 8 * HOUR, cal)).toBe(
      at('2026-11-23T17:00+01:00'),
    );
  });

  it('returns the instant itself for no time during office hours, else the next opening', () => {
    expect(addWorkingTime(at('2026-11-23T11:00+01:00'), 0, cal)).toBe(at('2026-11-23T11:00+01:00'));
    expect(nextWorkingMoment(at('2026-11-23T17:00+01:00'), cal)).toBe(at('2026-11-24T09:00+01:00'));
    expect(nextWorkingMoment(at('2026-12-24T17:30+01:00'), cal)).toBe(at('2026-12-28T09:00+01:00'));
  });

  it('uses the organisation’s office hours', () => {
    const early = workingCalendar({ officeHours: { opensAt: 8 * 60, closesAt: 12 * 60 + 30 } });
    expect(workingDayLength(early)).toBe(4.5 * HOUR);
    expect(addWorkingDays(at('2026-11-23T12:00+01:00'), 1, early)).toBe(
      at('2026-11-24T12:00+01:00'),
    );
    expect(addWorkingTime(at('2026-11-23T12:00+01:00'), HOUR, early)).toBe(
      at('2026-11-24T08:30+01:00'),
    );
  });

  it('accepts half a day and refuses a negative or endless amount', () => {
    expect(addWorkingDays(at('2026-11-23T09:00+01:00'), 0.5, cal)).toBe(
      at('2026-11-23T13:00+01:00'),
    );
    expect(() => addWorkingDays(0, -1, cal)).toThrow(RangeError);
    expect(() => addWorkingTime(0, Infinity, cal)).toThrow(RangeError);
    expect(() => addWorkingTime(Number.NaN, 1, cal)).toThrow(RangeError);
    expect(() => addWorkingTime(0, -1, cal)).toThrow(/addWorkingTime: need .*duration ≥ 0/);
    expect(() => addWorkingDays(0, -0.5, cal)).toThrow(/addWorkingDays: need days ≥ 0, got -0.5/);
    expect(() => addWorkingDays(0, Number.NaN, cal)).toThrow(/addWorkingDays/);
    expect(() => addWorkingDays(0, Infinity, cal)).toThrow(/addWorkingDays/);
    // No days at all is allowed: the next working moment.
    expect(addWorkingDays(at('2026-11-21T10:00+01:00'), 0, cal)).toBe(at('2026-11-23T09:00+01:00'));
  });

  it('gives up on a calendar with no open day within two years, but not on a long closure', () => {
    // Every day open, then the organisation's own closed days cover 732 days in a row (the
    // guard's limit) from Monday 5 January 2026: the due time is the day after, Friday 7 January 2028.
    const run = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        new Date(Date.UTC(2026, 0, 5 + i)).toISOString().slice(0, 10),
      );
    const everyDay = { officeHours: { days: [0, 1, 2, 3, 4, 5, 6] } };
    const longClosure = workingCalendar({ ...everyDay, closedDates: run(732) });
    expect(addWorkingTime(at('2026-01-05T10:00+01:00'), HOUR, longClosure)).toBe(
      at('2028-01-07T10:00+01:00'),
    );
    const tooLong = workingCalendar({ ...everyDay, closedDates: run(733) });
    expect(() => addWorkingTime(at('2026-01-05T10:00+01:00'), HOUR, tooLong)).toThrow(
      /no open day within two years/,
    );
  });
});

describe('working time between two instants (reports)', () => {
  it('counts only office time', () => {
    expect(
      workingTimeBetween(at('2026-04-24T16:00+02:00'), at('2026-04-29T16:00+02:00'), cal),
    ).toBe(16 * HOUR);
    expect(
      workingDaysBetween(at('2026-04-24T16:00+02:00'), at('2026-04-29T16:00+02:00'), cal),
    ).toBe(2);
    expect(
      workingTimeBetween(at('2026-11-21T10:00+01:00'), at('2026-11-22T20:00+01:00'), cal),
    ).toBe(0);
    expect(
      workingTimeBetween(at('2026-11-23T12:00+01:00'), at('2026-11-23T12:30+01:00'), cal),
    ).toBe(HOUR / 2);
  });

  it('is 0 when the end is not after the start', () => {
    const t = at('2026-11-23T12:00+01:00');
    expect(workingTimeBetween(t, t, cal)).toBe(0);
    expect(workingTimeBetween(t, t - HOUR, cal)).toBe(0);
    expect(workingTimeBetween(t, Number.NaN, cal)).toBe(0);
  });

  it('undoes adding working time, for any start and duration', () => {
    const calendars = [
      cal,
      workingCalendar({ officeHours: { days: [1, 2, 3, 4, 5, 6], opensAt: 450, closesAt: 1110 } }),
      workingCalendar({ holidays: { goodFriday: true, liberationDay: 'every-year' } }),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: at('2024-01-01T00:00Z'), max: at('2031-12-31T00:00Z') }),
        fc.integer({ min: 0, max: 40 * 8 * HOUR }),
        fc.constantFrom(...calendars),
        (from, duration, c) => {
          const due = addWorkingTime(from, duration, c);
          expect(due).toBeGreaterThanOrEqual(from);
          expect(workingTimeBetween(from, due, c)).toBe(duration);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never lands a due time outside office hours on a closed day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at('2024-01-01T00:00Z'), max: at('2031-12-31T00:00Z') }),
        fc.integer({ min: 1, max: 10 * 8 * HOUR }),
        (from, duration) => {
          const due = addWorkingTime(from, duration, cal);
          // Just before the due time the office is open.
          expect(workingTimeBetween(due - 1, due, cal)).toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('calendar settings', () => {
  it('fills missing settings with the defaults', () => {
    expect(workingCalendar()).toEqual(DEFAULT_WORKING_CALENDAR);
    expect(workingCalendar({ holidays: { goodFriday: true } }).holidays).toEqual({
      goodFriday: true,
      liberationDay: 'lustrum',
    });
  });

  it('names the setting that is wrong', () => {
    expect(() => workingCalendar({ officeHours: { days: [] } })).toThrow(/officeHours.days/);
    expect(() => workingCalendar({ officeHours: { days: [7] } })).toThrow(/officeHours.days/);
    expect(() => workingCalendar({ officeHours: { opensAt: 600, closesAt: 600 } })).toThrow(
      /officeHours/,
    );
    expect(() => workingCalendar({ officeHours: { closesAt: 1441 } })).toThrow(/officeHours/);
    expect(() => workingCalendar({ timeZone: 'Europe/Atlantis' })).toThrow(/timeZone/);
    expect(() => workingCalendar({ closedDates: ['2026-02-30'] })).toThrow(/closedDates/);
  });

  it('refuses office days that are not whole weekdays 0 to 6, each named', () => {
    for (const days of [[1.5], [-1], [1, 7], [0, 6, 8]]) {
      expect(() => workingCalendar({ officeHours: { days } }), JSON.stringify(days)).toThrow(
        /officeHours\.days/,
      );
    }
    expect(workingCalendar({ officeHours: { days: [0, 6] } }).officeHours.days).toEqual([0, 6]);
  });

  it('refuses hours that are not whole minutes inside one day, and accepts a day until midnight', () => {
    for (const hours of [
      { opensAt: -1 },
      { opensAt: 540.5 },
      { closesAt: 1020.5 },
      { opensAt: 600, closesAt: 540 },
    ]) {
      expect(() => workingCalendar({ officeHours: hours }), JSON.stringify(hours)).toThrow(
        /officeHours/,
      );
    }
    const allDay = workingCalendar({ officeHours: { opensAt: 0, closesAt: 24 * 60 } });
    expect(workingDayLength(allDay)).toBe(24 * HOUR);
    expect(addWorkingTime(at('2026-11-23T23:00+01:00'), 2 * HOUR, allDay)).toBe(
      at('2026-11-24T01:00+01:00'),
    );
  });

  it('sorts and de-duplicates office days', () => {
    expect(workingCalendar({ officeHours: { days: [5, 1, 3, 1] } }).officeHours.days).toEqual([
      1, 3, 5,
    ]);
  });

  it('sorts and de-duplicates closed dates', () => {
    expect(
      workingCalendar({ closedDates: ['2026-12-31', '2026-05-15', '2026-12-31'] }).closedDates,
    ).toEqual(['2026-05-15', '2026-12-31']);
  });
});
