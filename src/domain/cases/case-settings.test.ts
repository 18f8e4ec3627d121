import { describe, expect, it } from 'vitest';
import { caseSettingsSchema, DEFAULT_CASE_SETTINGS } from './case-settings.ts';

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
});
