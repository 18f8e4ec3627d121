/**
 * A customer's rhythm of visits: how often they usually come, and whether they are due.
 *
 * The typical interval is the mean gap between distinct visit days, (last − first) / (visits − 1):
 * what SQL can compute from MIN, MAX and COUNT for every customer at once, and what an owner means
 * by "comes about every eight months". A kind with a fixed interval (APK: yearly) overrides it when
 * it was the last visit's kind, because the law, not habit, sets that date.
 */
export type VisitRhythmInput = Readonly<{
  firstVisitAt: number | null;
  lastVisitAt: number | null;
  /** Distinct days with a completed visit. */
  visitDays: number;
  /** The fixed interval of the last visit's kind in days (APK: 365), or null. */
  fixedIntervalDays: number | null;
}>;

export type VisitRhythm = Readonly<{
  typicalIntervalDays: number | null;
  /** When the next visit is expected; null without an interval. */
  dueAt: number | null;
  due: boolean;
}>;

const DAY = 86_400_000;

/** Fixed intervals for kinds by law or custom (kind key → days); organisations may add their own. */
export const DEFAULT_FIXED_INTERVALS: Readonly<Record<string, number>> = { apk: 365 };

/** A returning customer is "lapsed" this many days after they were due (a few days late is normal). */
export const LAPSE_GRACE_DAYS = 14;

export function visitRhythm(input: VisitRhythmInput, now: number): VisitRhythm {
  const { firstVisitAt, lastVisitAt, visitDays, fixedIntervalDays } = input;
  if (lastVisitAt === null) return { typicalIntervalDays: null, dueAt: null, due: false };
  const typical =
    firstVisitAt !== null && visitDays >= 2
      ? Math.max(1, Math.round((lastVisitAt - firstVisitAt) / DAY / (visitDays - 1)))
      : null;
  const interval = fixedIntervalDays ?? typical;
  if (interval === null) return { typicalIntervalDays: typical, dueAt: null, due: false };
  const dueAt = lastVisitAt + interval * DAY;
  return { typicalIntervalDays: typical, dueAt, due: now > dueAt };
}

/** True when the customer is past due by the grace period: a candidate for "satisfied but not loyal". */
export function isLapsed(rhythm: VisitRhythm, now: number): boolean {
  return rhythm.dueAt !== null && now > rhythm.dueAt + LAPSE_GRACE_DAYS * DAY;
}
