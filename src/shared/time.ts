/** Timestamps are integer milliseconds in the database and ISO 8601 strings in every JSON shape. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : isoString(ms);
}

const DAY = 86_400_000;
/** 9999-12-31T23:59:59.999Z: the last moment with a four-digit year. */
const LAST_FOUR_DIGIT_YEAR = 253_402_300_799_999;
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const two = (n: number): string => TWO_DIGITS[n] ?? String(n);

/**
 * `new Date(ms).toISOString()`, about four times faster: lists print three timestamps for each of
 * their rows, and Date's own formatting was a tenth of a contacts page's time (profiled). The
 * calendar date comes from the day number by the era arithmetic of the proleptic Gregorian
 * calendar (400-year eras of 146,097 days, years counted from March, so the leap day is last).
 * Moments before 1970 or after year 9999, and non-integers, are left to Date.
 */
export function isoString(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > LAST_FOUR_DIGIT_YEAR) {
    return new Date(ms).toISOString();
  }
  const days = Math.floor(ms / DAY);
  // Days since 0000-03-01, then the 400-year era, the day of the era and the year of the era.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1_460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

  let rest = ms - days * DAY;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  const millisText = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : String(millis);
  return `${two(Math.floor(year / 100))}${two(year % 100)}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${millisText}Z`;
}
