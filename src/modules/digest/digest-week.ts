import {
  addLocalDays,
  calendarBuckets,
  localMidnight,
  startOfLocalDay,
} from '../analytics/calendar.ts';

/** An ISO week in local time (Europe/Amsterdam): Monday 00:00 to the next Monday 00:00. */
export interface DigestWeek {
  /** `2026-W48` */
  label: string;
  from: number;
  to: number;
}

const LABEL = /^(\d{4})-W(\d{2})$/;

/**
 * The week a digest composed at `now` reports: the ISO week holding the day seven days ago — on
 * the Monday the digest goes out, the Monday-to-Sunday week that just ended.
 */
export function reportedWeek(now: number): DigestWeek {
  const day = addLocalDays(startOfLocalDay(now), -7);
  const [bucket] = calendarBuckets(day, day + 1, 'week');
  if (!bucket) throw new Error('no week');
  return { label: bucket.label, from: bucket.start, to: bucket.end };
}

/** The bounds of an ISO week from its label (`2026-W48`); null for a label that names none. */
export function weekOf(label: string): DigestWeek | null {
  const m = LABEL.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  // Week 1 is the week holding 4 January; its Monday is 4 January minus its weekday (Monday 0).
  const weekday = (new Date(Date.UTC(year, 0, 4)).getUTCDay() + 6) % 7;
  const monday = 4 - weekday + 7 * (week - 1);
  const from = localMidnight(year, 0, monday);
  const [bucket] = calendarBuckets(from, from + 1, 'week');
  if (!bucket || bucket.label !== label) return null;
  return { label, from, to: localMidnight(year, 0, monday + 7) };
}
