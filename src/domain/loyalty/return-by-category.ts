import { zForConfidence } from '../statistics/normal.ts';
import {
  kaplanMeier,
  medianTime,
  survivalAt,
  type SurvivalCurve,
  type SurvivalRow,
} from '../statistics/kaplan-meier.ts';

/**
 * Does a category come back? From the time between an answer (or an unanswered invitation) and the
 * customer's next visit — censored at today for those who have not returned — the Kaplan–Meier
 * curve per category, the share back within 6 and 12 months with its interval, and the median time
 * to return.
 */
export const LOYALTY_CATEGORIES = ['promoter', 'passive', 'detractor', 'non_respondent'] as const;
export type LoyaltyCategory = (typeof LOYALTY_CATEGORIES)[number];

/** Six and twelve months in days, the horizons of the report. */
export const HORIZONS = [182, 365] as const;

export type ReturnShare = Readonly<{
  days: number;
  /** Share returned within `days`: 1 − S(days). null when nobody was followed that long. */
  estimate: number | null;
  low: number | null;
  high: number | null;
}>;

export type CategoryReturn = Readonly<{
  category: LoyaltyCategory;
  customers: number;
  returned: number;
  curve: SurvivalCurve;
  within: readonly ReturnShare[];
  /** Median days to the next visit; null when fewer than half returned in what was observed. */
  medianDays: number | null;
}>;

/** The return picture of one category from aggregated (days, returned, still-away) rows. */
export function returnByCategory(
  category: LoyaltyCategory,
  rows: readonly SurvivalRow[],
  level = 0.95,
): CategoryReturn {
  const curve = kaplanMeier(rows, { level });
  return {
    category,
    customers: curve.total,
    returned: curve.events,
    curve,
    within: HORIZONS.map((days) => returnedWithin(curve, days)),
    medianDays: medianTime(curve),
  };
}

/** 1 − S(days) with the curve's interval turned around. */
export function returnedWithin(curve: SurvivalCurve, days: number): ReturnShare {
  const step = survivalAt(curve, days);
  if (step === undefined || curve.total === 0)
    return { days, estimate: null, low: null, high: null };
  if (step === null) return { days, estimate: 0, low: 0, high: 0 };
  return { days, estimate: 1 - step.survival, low: 1 - step.high, high: 1 - step.low };
}

/** A ratio of two shares with its interval, "promoters came back 1.6× as often as detractors". */
export type ShareRatio = Readonly<{ estimate: number; low: number; high: number; level: number }>;

/**
 * Ratio of two returned-within shares, with the delta-method interval on the log scale
 * (var log F ≈ var F / F², and the two groups are independent). The variance of F is Greenwood's,
 * read back from the curve's step. Null when either share is 0 or unknown: a ratio to nothing is
 * not a number anyone should read.
 */
export function shareRatio(
  a: CategoryReturn,
  b: CategoryReturn,
  days: number,
  level = 0.95,
): ShareRatio | null {
  const fa = survivalAt(a.curve, days);
  const fb = survivalAt(b.curve, days);
  if (!fa || !fb) return null;
  // A curve has steps only at times with a return, so a found step's share is above 0.
  const shareA = 1 - fa.survival;
  const shareB = 1 - fb.survival;
  const z = zForConfidence(level);
  const se = Math.sqrt((fa.stdErr / shareA) ** 2 + (fb.stdErr / shareB) ** 2);
  const estimate = shareA / shareB;
  return { estimate, low: estimate * Math.exp(-z * se), high: estimate * Math.exp(z * se), level };
}

/** Mean revenue per customer with a normal interval, from SQL's count, sum and sum of squares. */
export type MeanInterval = Readonly<{ mean: number; low: number; high: number; customers: number }>;

export function meanWithInterval(
  customers: number,
  sum: number,
  sumOfSquares: number,
  level = 0.95,
): MeanInterval | null {
  if (customers <= 0) return null;
  const mean = sum / customers;
  if (customers === 1) return { mean, low: mean, high: mean, customers };
  const variance = Math.max(0, (sumOfSquares - customers * mean * mean) / (customers - 1));
  const half = zForConfidence(level) * Math.sqrt(variance / customers);
  return { mean, low: mean - half, high: mean + half, customers };
}
