import { describe, expect, it } from 'vitest';
import { closedReason, officeHoursOn } from '../calendar/working-time.ts';
import { caseCalendar, caseSettingsSchema, DEFAULT_CASE_SETTINGS } from './case-settings.ts';

describe('case settings', () => {
  it('an organisation that never saved them opens cases for detractors and contact requests', () => {
    // Parsed here, inside the test: defaults are filled in on every parse.
    const settings = caseSettingsSchema.parse({});
    expect(settings.openFor).toEqual({ passives: false, contactRequests: true, themeWords: [] });
    expect(settings).toEqual(DEFAULT_CASE_SETTINGS);
    expect(settings.firstContactWorkingDays).toBe(2);
    expect(settings.officeHours).toEqual({ days: [1, 2, 3, 4, 5], opensAt: 540, closesAt: 1020 });
  });

  it('office hours must open before they close: equal times are refused', () => {
    const hours = (opensAt: number, closesAt: number) =>
      caseSettingsSchema.safeParse({ officeHours: { opensAt, closesAt } }).success;
    expect(hours(540, 541)).toBe(true);
    expect(hours(540, 540)).toBe(false);
    expect(hours(600, 540)).toBe(false);
  });

  it('closed dates must be real YYYY-MM-DD dates', () => {
    const dates = (closedDates: string[]) => caseSettingsSchema.safeParse({ closedDates }).success;
    expect(dates(['2026-12-24'])).toBe(true);
    expect(dates(['2026-02-30'])).toBe(false);
    expect(dates(['24-12-2026'])).toBe(false);
  });

  it('turns into the working calendar it describes, in Amsterdam time', () => {
    const settings = caseSettingsSchema.parse({
      officeHours: { days: [1, 2, 3, 4, 5, 6], opensAt: 8 * 60, closesAt: 12 * 60 },
      holidays: { goodFriday: true },
      closedDates: ['2026-12-24'],
    });
    const calendar = caseCalendar(settings);
    expect(closedReason({ year: 2026, month: 11, day: 28 }, calendar)).toBeNull(); // a Saturday
    expect(closedReason({ year: 2026, month: 11, day: 29 }, calendar)).toBe('weekend');
    expect(closedReason({ year: 2026, month: 4, day: 3 }, calendar)).toBe('holiday'); // Good Friday
    expect(closedReason({ year: 2026, month: 12, day: 24 }, calendar)).toBe('closed-date');
    // 08:00 and 12:00 on a winter Wednesday in Amsterdam are 07:00 and 11:00 UTC.
    expect(officeHoursOn({ year: 2026, month: 12, day: 23 }, calendar)).toEqual({
      opens: Date.UTC(2026, 11, 23, 7),
      closes: Date.UTC(2026, 11, 23, 11),
    });
    // The defaults: Good Friday is a working day.
    expect(
      closedReason({ year: 2026, month: 4, day: 3 }, caseCalendar(DEFAULT_CASE_SETTINGS)),
    ).toBeNull();
  });
});
