/**
 * Calendar arithmetic in the Netherlands' time zone, for report periods. Responses store integer
 * milliseconds (portable across SQLite and PostgreSQL); calendar months are not, so month
 * boundaries are computed here, in JavaScript, and handed to SQL as plain numbers.
 */
import { zoneOffsetAt } from '../../domain/calendar/zoned-time.ts';

/** The instant of local midnight starting a calendar day (month is 0-based and may overflow). */
export function localMidnight(year: number, month: number, day: number): number {
  const guess = Date.UTC(year, month, day);
  const first = guess - zoneOffsetAt(guess);
  // Re-check at the result: the offset can differ between the guess and the answer near DST.
  return guess - zoneOffsetAt(first);
}

/** Local calendar date (year, 0-based month, day) of an instant. */
export function localDate(ms: number): { year: number; month: number; day: number } {
  const d = new Date(ms + zoneOffsetAt(ms));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate() };
}

export interface Bucket {
  /** `2026-03` for a month, `2026-Q1` for a quarter. */
  label: string;
  start: number;
  end: number;
}

/**
 * Consecutive months (or quarters) covering `[from, to)`, each from local midnight on its first day
 * to local midnight on the first day of the next. The first bucket starts at the beginning of the
 * period containing `from`, so a trend never shows half a month labelled as a whole one.
 */
export function calendarBuckets(
  from: number,
  to: number,
  interval: 'week' | 'month' | 'quarter',
): Bucket[] {
  if (interval === 'week') return weekBuckets(from, to);
  const step = interval === 'month' ? 1 : 3;
  const start = localDate(from);
  let year = start.year;
  let month = start.month - (start.month % step);
  const buckets: Bucket[] = [];
  let lower = localMidnight(year, month, 1);
  while (lower < to) {
    const upper = localMidnight(year, month + step, 1);
    buckets.push({
      label:
        interval === 'month'
          ? `${year}-${String(month + 1).padStart(2, '0')}`
          : `${year}-Q${month / 3 + 1}`,
      start: lower,
      end: upper,
    });
    month += step;
    if (month >= 12) {
      year += 1;
      month -= 12;
    }
    lower = upper;
  }
  return buckets;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A period bound from a query string. A date (`2026-03-31`) means that local day: as `from` its
 * start, as `to` its end (the day is included). A full ISO timestamp is taken exactly. Returns null
 * for anything else.
 */
export function parsePeriodBound(value: string, side: 'from' | 'to'): number | null {
  const date = DATE_ONLY.exec(value);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]) - 1, Number(date[3])];
    const check = new Date(Date.UTC(y, m, d));
    if (check.getUTCMonth() !== m || check.getUTCDate() !== d) return null;
    return localMidnight(y, m, d + (side === 'to' ? 1 : 0));
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    return null;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Local midnight starting the day that contains an instant. */
export function startOfLocalDay(ms: number): number {
  const d = localDate(ms);
  return localMidnight(d.year, d.month, d.day);
}

/**
 * `startOfLocalDay` for many instants close together (an answer batch): the bounds of the day last
 * asked for are kept and reused while the instants fall inside them, so a batch of answers costs
 * one day's arithmetic instead of one per answer (the zone's offset comes from `Intl`, which is
 * slow). Keep one per batch; any instant, in any order, still gets its own day.
 */
export function localDayFinder(): (ms: number) => number {
  let start = Number.NaN;
  let end = Number.NaN;
  return (ms) => {
    if (!(ms >= start && ms < end)) {
      start = startOfLocalDay(ms);
      end = addLocalDays(start, 1);
    }
    return start;
  };
}

/** Local midnight `days` calendar days after the day containing `ms` (DST-safe: 23 or 25 h days). */
export function addLocalDays(ms: number, days: number): number {
  const d = localDate(ms);
  return localMidnight(d.year, d.month, d.day + days);
}

/** Local midnight starting the Monday of the week that contains an instant (ISO weeks). */
export function startOfLocalWeek(ms: number): number {
  const d = localDate(ms);
  const weekday = (new Date(Date.UTC(d.year, d.month, d.day)).getUTCDay() + 6) % 7; // Monday 0
  return localMidnight(d.year, d.month, d.day - weekday);
}

/** True when an instant is exactly a local midnight, i.e. a whole-day period bound. */
export function isLocalMidnight(ms: number): boolean {
  return startOfLocalDay(ms) === ms;
}

/** ISO 8601 week number and week-year of a local date (weeks start on Monday; week 1 holds 4 Jan). */
function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const date = new Date(Date.UTC(year, month, day));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  date.setUTCDate(date.getUTCDate() - weekday + 3); // the Thursday of this week
  const weekYear = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(weekYear, 0, 4));
  const week =
    1 +
    Math.round(
      ((date.getTime() - firstThursday.getTime()) / 86_400_000 -
        3 +
        ((firstThursday.getUTCDay() + 6) % 7)) /
        7,
    );
  return { year: weekYear, week };
}

/** Consecutive ISO weeks (Monday local midnight to Monday) covering `[from, to)`, labelled `2026-W05`. */
function weekBuckets(from: number, to: number): Bucket[] {
  const start = localDate(from);
  const weekday = (new Date(Date.UTC(start.year, start.month, start.day)).getUTCDay() + 6) % 7;
  let day = { year: start.year, month: start.month, day: start.day - weekday };
  const buckets: Bucket[] = [];
  let lower = localMidnight(day.year, day.month, day.day);
  while (lower < to) {
    const upper = localMidnight(day.year, day.month, day.day + 7);
    const normal = new Date(Date.UTC(day.year, day.month, day.day));
    const week = isoWeek(normal.getUTCFullYear(), normal.getUTCMonth(), normal.getUTCDate());
    buckets.push({
      label: `${week.year}-W${String(week.week).padStart(2, '0')}`,
      start: lower,
      end: upper,
    });
    day = { year: day.year, month: day.month, day: day.day + 7 };
    lower = upper;
  }
  return buckets;
}
