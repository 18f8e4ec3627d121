import { compareAuc, deLongAuc, type AucDifference, type AucEstimate } from '../statistics/auc.ts';
import { fitLogistic, type Coefficient } from '../statistics/logistic-regression.ts';
import { zForConfidence } from '../statistics/normal.ts';

/**
 * "Does NPS predict return for us?" — answered for one business from its own customers.
 *
 * One row per customer whose window has fully passed (answered at least `window` days ago), with the
 * 0–10 score, the visits in the year before the answer (how often they already came: the baseline
 * any owner knows), and whether they came back within the window. Rows arrive grouped by SQL.
 *
 * Three questions, each with its uncertainty:
 * 1. Do promoters come back more often than detractors? (ratio of return rates)
 * 2. Does the score rank returners above non-returners? (AUC of the score, DeLong interval; a
 *    logistic regression gives the odds per score point)
 * 3. Does the score add anything to what prior visits already tell? (AUC of score + prior visits
 *    against prior visits alone, paired DeLong)
 */
export type ReturnObservation = Readonly<{
  score: number;
  priorVisits: number;
  returned: number;
  stayedAway: number;
}>;

/**
 * The documented minimum: 30 customers with a known outcome, of whom at least 10 returned and 10
 * did not. Below it a logistic regression with two predictors is unstable (about 10 events per
 * predictor, Peduzzi et al. 1996) and an AUC interval is too wide to say anything.
 */
export const MIN_CUSTOMERS = 30;
export const MIN_PER_OUTCOME = 10;
/** The promoter/detractor ratio is shown only with at least this many in each group. */
export const MIN_PER_GROUP = 10;

export type PredictionVerdict =
  /** Below the minimum: say so, and how many more are needed. */
  | 'not_enough_data'
  /** The score's AUC interval lies above 0.5 and adding it to prior visits clearly helps. */
  | 'predicts_and_adds'
  /** The score predicts return, but prior visit frequency already says as much. */
  | 'predicts_adds_little'
  /** The interval includes 0.5: no evidence either way at this sample size. */
  | 'no_evidence'
  /** Higher scores come back less often (interval entirely below 0.5). */
  | 'predicts_inversely';

export type RateRatio = Readonly<{
  promoterRate: number;
  detractorRate: number;
  promoters: number;
  detractors: number;
  estimate: number;
  low: number;
  high: number;
}>;

export type NpsPrediction = Readonly<{
  verdict: PredictionVerdict;
  customers: number;
  returned: number;
  stayedAway: number;
  /** How many more customers with a known outcome the minimum needs (0 when met). */
  shortBy: number;
  ratio: RateRatio | null;
  /** Odds multiplier per score point (exp of the slope), with interval; null when no fit. */
  oddsPerPoint: Readonly<{ estimate: number; low: number; high: number; p: number }> | null;
  aucScore: AucEstimate | null;
  aucPriorVisits: AucEstimate | null;
  aucBoth: AucEstimate | null;
  /** AUC(score + prior visits) − AUC(prior visits alone). */
  gain: AucDifference | null;
  level: number;
}>;

/**
 * The answer for one group of customers (the whole business, or a segment with enough data).
 */
export function assessNpsPrediction(
  rows: readonly ReturnObservation[],
  level = 0.95,
): NpsPrediction {
  const returned = rows.reduce((s, r) => s + r.returned, 0);
  const stayedAway = rows.reduce((s, r) => s + r.stayedAway, 0);
  const customers = returned + stayedAway;
  const shortBy = Math.max(
    MIN_CUSTOMERS - customers,
    MIN_PER_OUTCOME - returned,
    MIN_PER_OUTCOME - stayedAway,
    0,
  );
  const ratio = rateRatio(rows, level);
  const empty = {
    customers,
    returned,
    stayedAway,
    shortBy,
    ratio,
    oddsPerPoint: null,
    aucScore: null,
    aucPriorVisits: null,
    aucBoth: null,
    gain: null,
    level,
  };
  if (shortBy > 0) return { verdict: 'not_enough_data', ...empty };

  const scoreFit = fitLogistic(
    rows.map((r) => ({ x: [r.score], successes: r.returned, trials: r.returned + r.stayedAway })),
    { level },
  );
  // Only this fit's estimates are used (as a combined marker), never its intervals: no level.
  const bothFit = fitLogistic(
    rows.map((r) => ({
      x: [r.score, r.priorVisits],
      successes: r.returned,
      trials: r.returned + r.stayedAway,
    })),
  );
  const slope = scoreFit.status === 'ok' ? scoreFit.coefficients[1] : undefined;
  const combined = (r: ReturnObservation): number =>
    bothFit.status === 'ok'
      ? linear(bothFit.coefficients, [r.score, r.priorVisits])
      : r.priorVisits;
  const auc = deLongAuc(
    rows.flatMap((r) => {
      const markers = [r.score, r.priorVisits, combined(r)];
      return [
        { markers, positive: true, weight: r.returned },
        { markers, positive: false, weight: r.stayedAway },
      ];
    }),
    { level },
  );
  // Stryker disable next-line ConditionalExpression: unreachable, the minimum above guarantees ten of each outcome
  if (!auc) return { verdict: 'not_enough_data', ...empty };
  const [aucScore, aucPriorVisits, aucBoth] = auc.aucs;
  const gain = compareAuc(auc, 2, 1);
  let verdict: PredictionVerdict;
  if (!aucScore || (aucScore.low <= 0.5 && aucScore.high >= 0.5)) verdict = 'no_evidence';
  // Stryker disable next-line EqualityOperator: high = 0.5 exactly was caught by the line above
  else if (aucScore.high < 0.5) verdict = 'predicts_inversely';
  else verdict = gain.low > 0 ? 'predicts_and_adds' : 'predicts_adds_little';
  return {
    ...empty,
    verdict,
    oddsPerPoint: slope ? oddsRatio(slope) : null,
    aucScore: aucScore ?? null,
    aucPriorVisits: aucPriorVisits ?? null,
    aucBoth: aucBoth ?? null,
    gain,
  };
}

/** The fitted linear predictor without its intercept: an AUC depends only on the markers' order. */
function linear(coefficients: readonly Coefficient[], x: readonly number[]): number {
  return coefficients.slice(1).reduce((s, c, i) => s + c.estimate * (x[i] ?? 0), 0);
}

function oddsRatio(c: Coefficient) {
  return { estimate: Math.exp(c.estimate), low: Math.exp(c.low), high: Math.exp(c.high), p: c.p };
}

/**
 * Promoters' return rate over detractors', with the Katz log interval
 * (se² = 1/a − 1/n₁ + 1/c − 1/n₂). Null with fewer than MIN_PER_GROUP in either group or when
 * nobody in one group returned.
 */
export function rateRatio(rows: readonly ReturnObservation[], level = 0.95): RateRatio | null {
  let a = 0;
  let n1 = 0;
  let c = 0;
  let n2 = 0;
  for (const r of rows) {
    if (r.score >= 9) {
      a += r.returned;
      n1 += r.returned + r.stayedAway;
    } else if (r.score <= 6) {
      c += r.returned;
      n2 += r.returned + r.stayedAway;
    }
  }
  if (n1 < MIN_PER_GROUP || n2 < MIN_PER_GROUP || a === 0 || c === 0) return null;
  const estimate = a / n1 / (c / n2);
  const se = Math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2);
  const z = zForConfidence(level);
  return {
    promoterRate: a / n1,
    detractorRate: c / n2,
    promoters: n1,
    detractors: n2,
    estimate,
    low: estimate * Math.exp(-z * se),
    high: estimate * Math.exp(z * se),
  };
}
