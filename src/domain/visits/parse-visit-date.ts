import {
  addDays,
  isoDate,
  localDateOf,
  localMinuteOf,
  type LocalDate,
} from '../calendar/zoned-time.ts';

/**
 * Dates of visits as Dutch systems export them: `28-11-2026`, `3-2-26`, `28/11/2026`,
 * `28.11.2026`, ISO `2026-11-28` (also what the spreadsheet reader writes for a date cell), each
 * optionally with a time `09:30` or `09:30:15`. Day first always: Loyaal reads Dutch files, and a
 * `03-02-2026` that is the 2nd of March in one row and the 3rd of February in another would be worse
 * than refusing.
 */
export type VisitDate = Readonly<{
  date: LocalDate;
  /** Minutes after local midnight, or null. */ minute: number | null;
}>;

export type DateProblem = 'date_invalid' | 'date_in_future' | 'date_too_old';

/** Visits before this year are almost certainly a typo (`1-1-0026`). */
export const EARLIEST_VISIT_YEAR = 1990;

const DAY_FIRST = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TIME = /^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$/;
/** A time's UTC offset as ISO 8601 writes it: `Z`, `+01:00`, `-0500`. */
const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses a date cell. `today` (the organisation's local date) decides two-digit years — `26` is
 * 2026 unless that lies more than a year ahead, then 1926 — and refuses dates in the future (a
 * visit not yet made) beyond tomorrow, which absorbs time-zone slack of exporting systems.
 */
export function parseVisitDate(
  text: string,
  today: LocalDate,
): { ok: true; value: VisitDate } | { ok: false; problem: DateProblem } {
  const trimmed = text.trim();
  // Stryker disable next-line StringLiteral: split always returns at least one element
  const [datePart = '', timePart, ...rest] = trimmed.split(/[\sT]+/);
  if (rest.length > 0) return { ok: false, problem: 'date_invalid' };
  const date = readDateFields(datePart, today);
  if (!date) return { ok: false, problem: 'date_invalid' };
  // Before the validity check: Date.UTC reads years 0–99 as 1900–1999.
  if (date.year < EARLIEST_VISIT_YEAR) return { ok: false, problem: 'date_too_old' };
  // The round trip through the calendar refuses 31-02 and 29-02-2025, and month 0 or 13 and day 0
  // too (the calendar rolls them into a neighbouring month or year).
  if (isoDate(addDays(date, 0)) !== isoDate(date)) return { ok: false, problem: 'date_invalid' };
  let minute: number | null = null;
  let day: LocalDate = date;
  if (timePart !== undefined) {
    const offset = OFFSET.exec(timePart)?.[1];
    const t = TIME.exec(timePart.replace(OFFSET, '').replace(/(:\d{2})\.\d+$/, '$1'));
    if (!t) return { ok: false, problem: 'date_invalid' };
    const hours = Number(t[1]);
    const minutes = Number(t[2]);
    if (hours > 23 || minutes > 59 || Number(t[3] ?? 0) > 59)
      return { ok: false, problem: 'date_invalid' };
    minute = hours * 60 + minutes;
    if (offset !== undefined) {
      // An instant (`2026-10-31T23:30:00Z` is 1 November 00:30 in Amsterdam): its Dutch day and time.
      const sign = offset.startsWith('-') ? -1 : 1;
      const shift =
        offset === 'Z' ? 0 : sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(-2)));
      const at = Date.UTC(date.year, date.month - 1, date.day, hours, minutes) - shift * 60_000;
      day = localDateOf(at);
      minute = localMinuteOf(at);
    }
  }
  if (isoDate(day) > isoDate(addDays(today, 1))) return { ok: false, problem: 'date_in_future' };
  return { ok: true, value: { date: day, minute } };
}

/** Year, month and day as written (not yet checked against the calendar); null if neither form. */
function readDateFields(datePart: string, today: LocalDate): LocalDate | null {
  const iso = ISO.exec(datePart);
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
  const dayFirst = DAY_FIRST.exec(datePart);
  if (!dayFirst) return null;
  // Stryker disable next-line StringLiteral: group 4 always takes part in a match
  const y = dayFirst[4] ?? '';
  let year = Number(y);
  if (y.length === 2) {
    year += 2000;
    if (year > today.year + 1) year -= 100;
  }
  return { year, month: Number(dayFirst[3]), day: Number(dayFirst[1]) };
}
