import { easterSunday } from './easter.ts';
import { addDays, isoDate, weekdayOf } from './zoned-time.ts';
import type { LocalDate } from './zoned-time.ts';

/**
 * The Dutch public holidays ("algemeen erkende feestdagen", Algemene termijnenwet art. 3) that
 * close most offices. Names are keys; the catalogues (`src/i18n/`) hold the Dutch and English text.
 */
export type DutchHoliday =
  | 'new-years-day'
  | 'good-friday'
  | 'easter-sunday'
  | 'easter-monday'
  | 'kings-day'
  | 'liberation-day'
  | 'ascension-day'
  | 'whit-sunday'
  | 'whit-monday'
  | 'christmas-day'
  | 'boxing-day';

/**
 * Which of the optional days an organisation keeps closed. Good Friday and Liberation Day are
 * public holidays in name, but whether staff are off depends on the collective agreement (cao):
 * most keep Good Friday open, and most give Liberation Day off only in a lustrum year (2025,
 * 2030, …), the arrangement the central government follows for its own staff. So the defaults are
 * `goodFriday: false` and `liberationDay: 'lustrum'`; an organisation changes them in its settings.
 */
export type HolidayRules = Readonly<{
  goodFriday: boolean;
  liberationDay: 'every-year' | 'lustrum' | 'never';
}>;

export const DEFAULT_HOLIDAY_RULES: HolidayRules = { goodFriday: false, liberationDay: 'lustrum' };

export type Holiday = Readonly<{ date: LocalDate; holiday: DutchHoliday }>;

/**
 * King's Day: 27 April since 2014, moved to Saturday 26 April when the 27th is a Sunday (2025,
 * 2031). Before 2014 it was Queen's Day, 30 April, moved to the 29th when that was a Sunday.
 */
export function kingsDay(year: number): LocalDate {
  const day = year >= 2014 ? 27 : 30;
  const date = { year, month: 4, day };
  return weekdayOf(date) === 0 ? { year, month: 4, day: day - 1 } : date;
}

/** Every holiday of `year` that the rules keep closed, in date order. */
export function dutchHolidays(
  year: number,
  rules: HolidayRules = DEFAULT_HOLIDAY_RULES,
): Holiday[] {
  const easter = easterSunday(year);
  const list: Holiday[] = [
    { date: { year, month: 1, day: 1 }, holiday: 'new-years-day' },
    { date: easter, holiday: 'easter-sunday' },
    { date: addDays(easter, 1), holiday: 'easter-monday' },
    { date: kingsDay(year), holiday: 'kings-day' },
    { date: addDays(easter, 39), holiday: 'ascension-day' },
    { date: addDays(easter, 49), holiday: 'whit-sunday' },
    { date: addDays(easter, 50), holiday: 'whit-monday' },
    { date: { year, month: 12, day: 25 }, holiday: 'christmas-day' },
    { date: { year, month: 12, day: 26 }, holiday: 'boxing-day' },
  ];
  if (rules.goodFriday) list.push({ date: addDays(easter, -2), holiday: 'good-friday' });
  if (
    rules.liberationDay === 'every-year' ||
    (rules.liberationDay === 'lustrum' && year % 5 === 0)
  ) {
    list.push({ date: { year, month: 5, day: 5 }, holiday: 'liberation-day' });
  }
  // King's Day (27 April) and Ascension Day (30 April at the earliest) never coincide with
  // another holiday, but keep the order by date whatever the year.
  return list.sort((a, b) => (isoDate(a.date) < isoDate(b.date) ? -1 : 1));
}

const cache = new Map<string, ReadonlyMap<string, DutchHoliday>>();

/** The holiday on `date` under `rules`, or null on an ordinary day. */
export function dutchHolidayOn(
  date: LocalDate,
  rules: HolidayRules = DEFAULT_HOLIDAY_RULES,
): DutchHoliday | null {
  const key = `${date.year}|${rules.goodFriday}|${rules.liberationDay}`;
  let byDate = cache.get(key);
  if (!byDate) {
    byDate = new Map(dutchHolidays(date.year, rules).map((h) => [isoDate(h.date), h.holiday]));
    if (cache.size > 512) cache.clear();
    cache.set(key, byDate);
  }
  return byDate.get(isoDate(date)) ?? null;
}
