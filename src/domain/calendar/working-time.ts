import { DEFAULT_HOLIDAY_RULES, dutchHolidayOn } from './dutch-holidays.ts';
import type { HolidayRules } from './dutch-holidays.ts';
import {
  DUTCH_TIME_ZONE,
  addDays,
  isKnownTimeZone,
  isoDate,
  localDateOf,
  parseIsoDate,
  weekdayOf,
  zonedInstant,
} from './zoned-time.ts';
import type { LocalDate } from './zoned-time.ts';

/**
 * Office hours as local wall-clock minutes since midnight, the same every open day.
 * `days` uses 0 = Sunday … 6 = Saturday.
 */
export type OfficeHours = Readonly<{ days: readonly number[]; opensAt: number; closesAt: number }>;

/**
 * When an organisation works: office hours in a time zone, minus Dutch public holidays (with the
 * organisation's choice for Good Friday and Liberation Day) and its own closed days (a bridge day,
 * the week between Christmas and New Year), as `YYYY-MM-DD`.
 */
export type WorkingCalendar = Readonly<{
  timeZone: string;
  officeHours: OfficeHours;
  holidays: HolidayRules;
  closedDates: readonly string[];
}>;

export const DEFAULT_OFFICE_HOURS: OfficeHours = {
  days: [1, 2, 3, 4, 5],
  opensAt: 9 * 60,
  closesAt: 17 * 60,
};

export const DEFAULT_WORKING_CALENDAR: WorkingCalendar = {
  timeZone: DUTCH_TIME_ZONE,
  officeHours: DEFAULT_OFFICE_HOURS,
  holidays: DEFAULT_HOLIDAY_RULES,
  closedDates: [],
};

export type WorkingCalendarInput = Partial<{
  timeZone: string;
  officeHours: Partial<OfficeHours>;
  holidays: Partial<HolidayRules>;
  closedDates: readonly string[];
}>;

/**
 * A complete, checked calendar from partial settings (missing parts take the defaults).
 * @throws RangeError naming the setting that is wrong: no open day, opening at or after closing,
 *   minutes outside a day, an unknown time zone, a closed date that is not `YYYY-MM-DD`.
 */
export function workingCalendar(input: WorkingCalendarInput = {}): WorkingCalendar {
  const officeHours = { ...DEFAULT_OFFICE_HOURS, ...input.officeHours };
  const days = [...new Set(officeHours.days)].sort((a, b) => a - b);
  if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) {
    throw new RangeError(
      'officeHours.days: need at least one day, each 0 (Sunday) to 6 (Saturday)',
    );
  }
  const { opensAt, closesAt } = officeHours;
  if (
    !Number.isInteger(opensAt) ||
    !Number.isInteger(closesAt) ||
    opensAt < 0 ||
    closesAt > 24 * 60 ||
    opensAt >= closesAt
  ) {
    throw new RangeError('officeHours: need whole minutes with 0 ≤ opensAt < closesAt ≤ 1440');
  }
  const timeZone = input.timeZone ?? DUTCH_TIME_ZONE;
  if (!isKnownTimeZone(timeZone)) {
    throw new RangeError(`timeZone: unknown time zone ${JSON.stringify(timeZone)}`);
  }
  const closedDates = [...new Set(input.closedDates ?? [])].sort();
  const wrong = closedDates.find((d) => parseIsoDate(d) === null);
  if (wrong !== undefined) {
    throw new RangeError(`closedDates: ${JSON.stringify(wrong)} is not a date (YYYY-MM-DD)`);
  }
  return {
    timeZone,
    officeHours: { days, opensAt, closesAt },
    holidays: { ...DEFAULT_HOLIDAY_RULES, ...input.holidays },
    closedDates,
  };
}

/** Length of one working day in ms (8 h for 09:00–17:00). */
export function workingDayLength(calendar: WorkingCalendar): number {
  return (calendar.officeHours.closesAt - calendar.officeHours.opensAt) * 60_000;
}

/** Why a local day is closed, or null when the office is open that day. */
export function closedReason(
  date: LocalDate,
  calendar: WorkingCalendar,
): 'weekend' | 'holiday' | 'closed-date' | null {
  if (!calendar.officeHours.days.includes(weekdayOf(date))) return 'weekend';
  if (dutchHolidayOn(date, calendar.holidays) !== null) return 'holiday';
  if (calendar.closedDates.includes(isoDate(date))) return 'closed-date';
  return null;
}

export function isWorkingDay(date: LocalDate, calendar: WorkingCalendar): boolean {
  return closedReason(date, calendar) === null;
}

/** Opening and closing instants of a local day, or null when it is closed. */
export function officeHoursOn(
  date: LocalDate,
  calendar: WorkingCalendar,
): Readonly<{ opens: number; closes: number }> | null {
  if (!isWorkingDay(date, calendar)) return null;
  return {
    opens: zonedInstant(date, calendar.officeHours.opensAt, calendar.timeZone),
    closes: zonedInstant(date, calendar.officeHours.closesAt, calendar.timeZone),
  };
}

/** No calendar is closed for longer than this many days in a row (guards the loops below). */
const MAX_CLOSED_RUN = 366 * 2;

/**
 * The instant at which `duration` ms of office time have passed after `from`: time outside office
 * hours, at weekends, on holidays and on closed days does not count. A duration that ends exactly
 * at closing time gives the closing instant ("by the end of Tuesday"), not the next opening.
 * A duration of 0 gives `from` itself during office hours, else the next opening.
 */
export function addWorkingTime(from: number, duration: number, calendar: WorkingCalendar): number {
  if (!Number.isFinite(from) || !Number.isFinite(duration) || duration < 0) {
    throw new RangeError(`addWorkingTime: need a finite instant and duration ≥ 0`);
  }
  let remaining = duration;
  let date = localDateOf(from, calendar.timeZone);
  let closedRun = 0;
  for (;;) {
    const hours = officeHoursOn(date, calendar);
    if (hours) {
      closedRun = 0;
      const start = Math.max(from, hours.opens);
      if (start < hours.closes) {
        const available = hours.closes - start;
        if (remaining <= available) return start + remaining;
        remaining -= available;
      }
    } else if (++closedRun > MAX_CLOSED_RUN) {
      throw new RangeError('addWorkingTime: the calendar has no open day within two years');
    }
    date = addDays(date, 1);
  }
}

/**
 * `days` working days after `from`, each as long as the office day (two working days from Friday
 * 16:00 with 09:00–17:00 hours is Tuesday 16:00). Fractions are allowed (0.5 = half a day).
 */
export function addWorkingDays(from: number, days: number, calendar: WorkingCalendar): number {
  if (!Number.isFinite(days) || days < 0) {
    throw new RangeError(`addWorkingDays: need days ≥ 0, got ${days}`);
  }
  return addWorkingTime(from, Math.round(days * workingDayLength(calendar)), calendar);
}

/** The first instant at or after `from` inside office hours. */
export function nextWorkingMoment(from: number, calendar: WorkingCalendar): number {
  return addWorkingTime(from, 0, calendar);
}

/**
 * Office time in ms between two instants (0 when `to` ≤ `from`): the inverse of `addWorkingTime`,
 * for reports such as "time to first contact in working days".
 */
export function workingTimeBetween(from: number, to: number, calendar: WorkingCalendar): number {
  // Stryker disable next-line EqualityOperator: with to = from the loop below counts 0 as well
  if (!(to > from)) return 0;
  let total = 0;
  let date = localDateOf(from, calendar.timeZone);
  const last = isoDate(localDateOf(to, calendar.timeZone));
  for (;;) {
    const hours = officeHoursOn(date, calendar);
    if (hours) {
      const start = Math.max(from, hours.opens);
      const end = Math.min(to, hours.closes);
      total += Math.max(0, end - start);
    }
    // Stryker disable next-line EqualityOperator: a day after `to` adds nothing (its start is past `to`)
    if (isoDate(date) >= last) return total;
    date = addDays(date, 1);
  }
}

/** Office time between two instants in working days (fractional). */
export function workingDaysBetween(from: number, to: number, calendar: WorkingCalendar): number {
  return workingTimeBetween(from, to, calendar) / workingDayLength(calendar);
}
