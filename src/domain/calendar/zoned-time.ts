/**
 * Wall-clock time in a named time zone (default Europe/Amsterdam), computed with `Intl` so the
 * daylight-saving rules come from the runtime's time-zone database, not from this file. Instants
 * are integer milliseconds since the epoch, as everywhere in Loyaal; a local day is a plain
 * `LocalDate` (month 1–12) so that it can be compared and printed without a time zone.
 */
export const DUTCH_TIME_ZONE = 'Europe/Amsterdam';

/** A calendar day without a time zone; month is 1–12. */
export type LocalDate = Readonly<{ year: number; month: number; day: number }>;

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  // Stryker disable next-line ConditionalExpression: the cache only saves time
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/**
 * Whether the runtime knows this time zone. Asks the cached formatter the arithmetic uses anyway,
 * so checking a zone seen before costs a lookup, not a new `Intl.DateTimeFormat` (building one is
 * what made every answer batch's working calendar expensive).
 */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in ms (+1 h in Dutch winter, +2 h in summer). */
export function zoneOffsetAt(ms: number, timeZone: string = DUTCH_TIME_ZONE): number {
  const parts: Record<string, number> = {};
  for (const p of formatFor(timeZone).formatToParts(new Date(ms))) {
    parts[p.type] = Number(p.value); // literals (the "/", ", ", ":") are read as NaN, never used
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

/**
 * The instant at which the local wall clock shows `minuteOfDay` minutes past midnight on `date`.
 * Month and day may overflow (day 32 is the first of the next month). A wall time that does not
 * exist (02:30 on the spring-forward night) maps to the instant one hour later; an ambiguous one
 * (02:30 on the fall-back night) to its first occurrence.
 */
export function zonedInstant(
  date: LocalDate,
  minuteOfDay = 0,
  timeZone: string = DUTCH_TIME_ZONE,
): number {
  const guess = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  // The offsets in force half a day either side cover any clock change that night.
  const before = guess - zoneOffsetAt(guess - 43_200_000, timeZone);
  const after = guess - zoneOffsetAt(guess + 43_200_000, timeZone);
  const fits = [before, after].filter((c) => c + zoneOffsetAt(c, timeZone) === guess);
  // Ambiguous (fall back): the earlier instant. Missing (spring forward): the old offset, which
  // lands as far past the gap as the wall time was into it.
  return fits.length > 0 ? Math.min(...fits) : before;
}

/** The local calendar day of an instant. */
export function localDateOf(ms: number, timeZone: string = DUTCH_TIME_ZONE): LocalDate {
  const d = new Date(ms + zoneOffsetAt(ms, timeZone));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Minutes since local midnight of an instant (0–1439; 1500 cannot occur). */
export function localMinuteOf(ms: number, timeZone: string = DUTCH_TIME_ZONE): number {
  const local = ms + zoneOffsetAt(ms, timeZone);
  return Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
}

/** Day of the week of a local date: 0 = Sunday … 6 = Saturday (as `Date#getUTCDay`). */
export function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** The date `days` days after `date` (negative goes back), normalised. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `2026-04-27` for a local date: sortable, and the key used for closed-day lists. */
export function isoDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(
    date.day,
  ).padStart(2, '0')}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD` into a local date; null for anything else or a day that does not exist. */
export function parseIsoDate(text: string): LocalDate | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return isoDate(addDays(date, 0)) === text ? date : null;
}
