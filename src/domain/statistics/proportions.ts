import { zForConfidence } from './normal.ts';

/** A proportion (0..1) with its confidence interval (also 0..1). */
export type ProportionInterval = Readonly<{
  /** Observed proportion successes / trials. */
  estimate: number;
  low: number;
  high: number;
  /** Confidence level of the interval, e.g. 0.95. */
  level: number;
}>;

/**
 * Wilson score interval for a binomial proportion (response rate, share of promoters who opt in as
 * ambassador, repeat-purchase rate, …).
 *
 * Why Wilson and not the textbook p ± z·√(p(1−p)/n): the textbook (Wald) interval collapses to zero
 * width at 0/n and n/n and undercovers for the small groups a garage or an account manager has. The
 * Wilson interval stays inside [0, 1], has sensible width at the extremes and good coverage from
 * n ≈ 10 upwards.
 *
 * Returns null when there are no trials: a rate of nothing is unknown, not 0%.
 *
 * @throws RangeError when the counts are not non-negative integers with successes ≤ trials, or the
 *   level is not in (0, 1).
 */
export function wilsonInterval(
  successes: number,
  trials: number,
  level = 0.95,
): ProportionInterval | null {
  if (!Number.isInteger(trials) || trials < 0) {
    throw new RangeError(`wilsonInterval: trials must be a non-negative integer, got ${trials}`);
  }
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(
      `wilsonInterval: successes must be an integer in [0, ${trials}], got ${successes}`,
    );
  }
  const z = zForConfidence(level);
  if (trials === 0) return null;

  const n = trials;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    estimate: p,
    // Exact at the extremes: with 0 successes the lower bound is 0, with n successes the upper is 1.
    low: successes === 0 ? 0 : Math.max(0, centre - halfWidth),
    high: successes === n ? 1 : Math.min(1, centre + halfWidth),
    level,
  };
}
