/**
 * Calendar arithmetic in the Netherlands' time zone, for report periods. Responses store integer
 * milliseconds (portable across SQLite and PostgreSQL); calendar months are not, so month
 * boundaries are computed here, in JavaScript, and handed to SQL as plain numbers.
 */
export const REPORT_TIME_ZONE = 'Europe/Amsterdam';

const offsetFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: REPORT_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The zone's offset from UTC at an instant, in ms (+1 h in winter, +2 h in summer). */
function offsetAt(ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of offsetFormat.formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant of local midnight starting a calendar day (month is 0-based and may overflow). */
export function localMidnight(year: number, month: number, day: number): number {
  const guess = Date.UTC(year, month, day);
  const first = guess - offsetAt(guess);
  // Re-check at the result: the offset can differ between the guess and the answer near DST.
  return guess - offsetAt(first);
}

/** Local calendar date (year, 0-based month, day) of an instant. */
export function localDate(ms: number): { year: number; month: number; day: number } {
  const d = new Date(ms + offsetAt(ms));
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
export function calendarBuckets(from: number, to: number, interval: 'month' | 'quarter'): Bucket[] {
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
