/**
 * How long Loyaal keeps what identifies a person (AVG/GDPR art. 5(1)(e), storage limitation). The
 * organisation chooses its retention period in months; these rules turn it into moments.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** A sent email's bodies (its personal links, the greeting) are deleted this long after sending. */
export const EMAIL_BODY_DAYS = 90;

/**
 * A personal link's token is deleted this long after the link expired. Until then the unsubscribe
 * link of an old email still works (every later email carries a fresh one).
 */
export const LINK_TOKEN_DAYS_AFTER_EXPIRY = 180;

/**
 * The moment before which answers and other personal data are anonymised: `months` calendar
 * months before `now` (UTC), clamped to the end of a shorter month (31 March minus one month is
 * 28 or 29 February, not 3 March).
 */
export function retentionCutoff(now: number, months: number): number {
  if (!Number.isInteger(months) || months < 1) throw new RangeError('months must be ≥ 1');
  const d = new Date(now);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() - months;
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return Date.UTC(
    targetYear,
    targetMonth,
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/**
 * How long past the retention period a complaint still being worked (a recovery case, open or
 * contacted) keeps the answer it is about and its notes: the colleague calling the customer back
 * needs them, but a case nobody closes must not keep a person's data for ever.
 */
export const OPEN_COMPLAINT_HOLD_MS = 365 * DAY_MS;

/** Emails sent before this moment lose their bodies. */
export const emailBodyCutoff = (now: number): number => now - EMAIL_BODY_DAYS * DAY_MS;

/** Invitations whose link expired before this moment lose their token. */
export const linkTokenCutoff = (now: number): number => now - LINK_TOKEN_DAYS_AFTER_EXPIRY * DAY_MS;

/**
 * How far back the contact rules and the year-on-year figures read invitations and answers: a
 * partition of a month still inside this window is never detached, whatever the retention period.
 */
export const HISTORY_MONTHS = 13;

/**
 * The latest month (its first moment, UTC) before which old monthly partitions may be detached
 * (`loyaal partitions --detach-before`): none of their rows may still be inside any
 * organisation's retention period (`retentionMonths` of each; the default when there is none) or
 * inside the history window. Detaching is table-wide, so the longest period decides.
 */
export function latestDetachableMonth(now: number, retentionMonths: readonly number[]): number {
  const longest = Math.max(HISTORY_MONTHS, ...retentionMonths);
  const cutoff = new Date(retentionCutoff(now, longest));
  return Date.UTC(cutoff.getUTCFullYear(), cutoff.getUTCMonth(), 1);
}
