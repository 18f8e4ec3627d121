import { describe, expect, it } from 'vitest';
import { caseCalendar, caseSettingsSchema, DEFAULT_CASE_SETTINGS } from './case-settings.ts';
import { firstContactDueAt, shouldEscalate } from './case-deadlines.ts';

const at = (iso: string) => Date.parse(iso);
const cal = caseCalendar(DEFAULT_CASE_SETTINGS);
const due = (iso: string, settings = DEFAULT_CASE_SETTINGS) =>
  firstContactDueAt('recovery', at(iso), settings, caseCalendar(settings));

/** A controllable clock: escalation is asked at moments we choose. */
function escalatesAt(iso: string, dueAt: number): boolean {
  return shouldEscalate({ kind: 'recovery', status: 'open', dueAt, escalatedAt: null }, at(iso));
}

describe('due time for the first contact (two Dutch working days)', () => {
  it('skips a weekend: a 3 on Friday 15:00 is due Tuesday 15:00', () => {
    expect(due('2026-11-27T15:00+01:00')).toBe(at('2026-12-01T15:00+01:00'));
  });

  it("skips King's Day on Monday 27 April 2026", () => {
    expect(due('2026-04-24T11:00+02:00')).toBe(at('2026-04-29T11:00+02:00'));
  });

  it("skips King's Day 2025 on Saturday 26 April (the 27th was a Sunday) for a Saturday shop", () => {
    const shop = caseSettingsSchema.parse({ officeHours: { days: [1, 2, 3, 4, 5, 6] } });
    // Friday 25 April 11:00: Fri 6 h, Sat King's Day, Sun closed, Mon 8 h, Tue 2 h.
    expect(due('2025-04-25T11:00+02:00', shop)).toBe(at('2025-04-29T11:00+02:00'));
    // On a Sunday-27th year the 27th itself is not a holiday: a shop open on Sundays works it.
    const sundays = caseSettingsSchema.parse({ officeHours: { days: [0, 1, 2, 3, 4, 5, 6] } });
    expect(due('2025-04-25T11:00+02:00', sundays)).toBe(at('2025-04-28T11:00+02:00'));
  });

  it('skips Ascension Day: a 2 on Wednesday 13 May 2026 at 16:00 is due Monday 16:00', () => {
    // Wed 1 h, Thu Ascension, Fri 8 h, weekend, Mon 7 h.
    expect(due('2026-05-13T16:00+02:00')).toBe(at('2026-05-18T16:00+02:00'));
  });

  it('counts from the next opening for an answer at night', () => {
    expect(due('2026-11-26T22:30+01:00')).toBe(at('2026-11-30T17:00+01:00'));
  });

  it('follows the organisation’s office hours, closed days and day count', () => {
    const s = caseSettingsSchema.parse({
      firstContactWorkingDays: 1,
      officeHours: { opensAt: 8 * 60, closesAt: 16 * 60 },
      closedDates: ['2026-11-30'],
    });
    expect(due('2026-11-27T15:00+01:00', s)).toBe(at('2026-12-01T15:00+01:00'));
  });

  it('gives a thank-you task its own, longer period', () => {
    expect(
      firstContactDueAt('thanks', at('2026-11-23T09:00+01:00'), DEFAULT_CASE_SETTINGS, cal),
    ).toBe(at('2026-12-04T17:00+01:00'));
  });
});

describe('escalation to the manager', () => {
  it('happens only once the due time has passed, across a weekend', () => {
    const dueAt = due('2026-11-27T15:00+01:00');
    expect(escalatesAt('2026-11-28T15:00+01:00', dueAt)).toBe(false); // Saturday
    expect(escalatesAt('2026-11-30T15:00+01:00', dueAt)).toBe(false); // Monday
    expect(escalatesAt('2026-12-01T14:59+01:00', dueAt)).toBe(false);
    expect(escalatesAt('2026-12-01T15:00+01:00', dueAt)).toBe(true);
  });

  it("waits for King's Day and Ascension Day to pass", () => {
    const kings = due('2026-04-24T11:00+02:00');
    expect(escalatesAt('2026-04-28T11:00+02:00', kings)).toBe(false);
    expect(escalatesAt('2026-04-29T11:00+02:00', kings)).toBe(true);
    const ascension = due('2026-05-13T16:00+02:00');
    expect(escalatesAt('2026-05-15T16:00+02:00', ascension)).toBe(false);
    expect(escalatesAt('2026-05-18T16:00+02:00', ascension)).toBe(true);
  });

  it('does not happen after first contact, after closing, twice, or for a thank-you task', () => {
    const base = {
      kind: 'recovery' as const,
      status: 'open' as const,
      dueAt: 0,
      escalatedAt: null,
    };
    expect(shouldEscalate(base, 1)).toBe(true);
    expect(shouldEscalate({ ...base, status: 'contacted' }, 1)).toBe(false);
    expect(shouldEscalate({ ...base, status: 'resolved' }, 1)).toBe(false);
    expect(shouldEscalate({ ...base, escalatedAt: 1 }, 1)).toBe(false);
    expect(shouldEscalate({ ...base, kind: 'thanks' }, 1)).toBe(false);
  });
});
