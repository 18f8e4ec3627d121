import type { NpsCounts } from '../scoring/nps.ts';
import { normalCdf, zForConfidence } from './normal.ts';

/**
 * Whether the NPS really changed between two periods, or the difference is what sampling alone
 * would produce.
 *
 * Each period's NPS is estimated with the adjusted Wald of Rocks (2016) — ¾ of an answer added to
 * promoters and detractors, 3 to n — and the two independent estimates are compared with a z test:
 *
 *   d' = NPS'₂ − NPS'₁,  se = √(var₁/n'₁ + var₂/n'₂),  z = d'/se
 *
 * (the Agresti–Caffo idea for a difference of proportions, carried over to the NPS). The two-sided
 * p-value answers "is it real?"; Φ(z) is the approximate posterior probability of a rise under a
 * flat prior, which is what the tooltip shows ("93 % kans dat dit een echte stijging is").
 *
 * A change is called real only with at least `MIN_ANSWERS_FOR_CHANGE` answers in each period, the
 * minimum the celebrate rule asks of a person's change: the normal approximation is poor with a
 * handful, and three tens after three twos (p = 0.014) is not a story to tell anyone.
 */

/** Answers each period needs before a change can be called real (as `DEFAULT_CELEBRATE_RULE`). */
export const MIN_ANSWERS_FOR_CHANGE = 10;
export type NpsChange = Readonly<{
  /** Observed NPS after − before, in points; null when either period has no answers. */
  change: number | null;
  /** The adjusted difference the test uses, in points. */
  adjustedChange: number | null;
  /** Standard error of the adjusted difference, in points. */
  standardError: number | null;
  /** Two-sided p-value of "no change". */
  pValue: number | null;
  /** Probability that the true NPS rose (flat prior, normal approximation). */
  probabilityOfRise: number | null;
  /** True when the change is significant at the level (p < 1 − level) on enough answers. */
  real: boolean;
  direction: 'up' | 'down' | 'none';
  level: number;
}>;

/** Adjusted-Wald estimate and per-answer variance of one period (Rocks 2016). */
export function adjustedNps(counts: NpsCounts): { nps: number; variance: number; n: number } {
  const n = counts.promoters + counts.passives + counts.detractors + 3;
  const p = (counts.promoters + 0.75) / n;
  const d = (counts.detractors + 0.75) / n;
  return { nps: p - d, variance: p + d - (p - d) * (p - d), n };
}

function total(c: NpsCounts): number {
  return c.promoters + c.passives + c.detractors;
}

/**
 * Compares the NPS of two periods (or two independent groups).
 *
 * @throws RangeError when the level is not in (0, 1).
 */
export function compareNps(before: NpsCounts, after: NpsCounts, level = 0.95): NpsChange {
  const z = zForConfidence(level);
  if (total(before) === 0 || total(after) === 0) {
    return {
      change: null,
      adjustedChange: null,
      standardError: null,
      pValue: null,
      probabilityOfRise: null,
      real: false,
      direction: 'none',
      level,
    };
  }
  const a = adjustedNps(before);
  const b = adjustedNps(after);
  const difference = b.nps - a.nps;
  const se = Math.sqrt(a.variance / a.n + b.variance / b.n);
  const statistic = difference / se;
  const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(statistic))));
  const enough = Math.min(total(before), total(after)) >= MIN_ANSWERS_FOR_CHANGE;
  const real = enough && Math.abs(statistic) > z;
  const observed =
    (100 * (after.promoters - after.detractors)) / total(after) -
    (100 * (before.promoters - before.detractors)) / total(before);
  return {
    change: observed,
    adjustedChange: 100 * difference,
    standardError: 100 * se,
    pValue,
    probabilityOfRise: normalCdf(statistic),
    real,
    direction: !real ? 'none' : difference > 0 ? 'up' : 'down',
    level,
  };
}
