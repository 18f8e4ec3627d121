import { zForConfidence } from '../statistics/normal.ts';

/**
 * Net Promoter Score arithmetic: categories, counts, the score itself and its uncertainty.
 *
 * Everything here is pure; SQL aggregation lives elsewhere and hands its counts to these functions,
 * so the rules of the score are written exactly once.
 */

/** The answer to "how likely is it that you would recommend us?", in the three NPS categories. */
export const NPS_CATEGORIES = ['promoter', 'passive', 'detractor'] as const;
export type NpsCategory = (typeof NPS_CATEGORIES)[number];

/** Lowest and highest answers on the 0–10 recommendation scale. */
export const MIN_SCORE = 0;
export const MAX_SCORE = 10;

/** Number of respondents in each category. */
export type NpsCounts = Readonly<{
  promoters: number;
  passives: number;
  detractors: number;
}>;

/** Confidence interval of an NPS, in NPS points (−100..100). */
export type NpsInterval = Readonly<{
  low: number;
  high: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
}>;

/**
 * The NPS of a group of responses. Shares are proportions (0..1); nps and the interval are in NPS
 * points (−100..100). With no responses there is no score: nps, shares and interval are null rather
 * than 0, because "no data" must never be shown as a neutral score.
 */
export type NpsResult = Readonly<{
  total: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** % promoters − % detractors, unrounded so that callers round once, at display time. */
  nps: number | null;
  promoterShare: number | null;
  passiveShare: number | null;
  detractorShare: number | null;
  interval: NpsInterval | null;
}>;

/**
 * True when x is a valid answer on the 0–10 scale (an integer, not a numeric string).
 *
 * A type guard so that edge validation (request bodies, CSV imports, one-click email links) and the
 * domain agree on what a score is.
 */
export function isValidScore(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= MIN_SCORE && x <= MAX_SCORE;
}

/**
 * The NPS category of a score: 9–10 promoter, 7–8 passive, 0–6 detractor.
 *
 * Throws instead of guessing, because a mis-categorised 6.5 or 11 would silently move the NPS.
 *
 * @throws RangeError when score is not an integer from 0 to 10.
 */
export function categorise(score: number): NpsCategory {
  if (!isValidScore(score)) {
    throw new RangeError(`categorise: score must be an integer from 0 to 10, got ${String(score)}`);
  }
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * The adjusted-Wald confidence interval for an NPS (Rocks 2016, "Interval Estimation for the 'Net
 * Promoter Score'", The American Statistician; recommended by Sauro & Lewis).
 *
 * Why this method: NPS is a difference of two proportions taken from the same sample. The adjusted
 * Wald adds ¾ of a respondent to promoters and to detractors (3 to n, counting the passives'
 * share), which keeps good coverage for the small groups of one employee or one garage and does not
 * collapse to zero width at 10 out of 10 promoters.
 *
 *   n' = n + 3, p'_P = (promoters + ¾) / n', p'_D = (detractors + ¾) / n'
 *   NPS' = p'_P − p'_D,  var = p'_P + p'_D − (p'_P − p'_D)²,  se = √(var / n')
 *   interval = 100 · (NPS' ± z · se), clipped to [−100, 100]
 *
 * Note the interval is centred on the adjusted NPS', not on the observed NPS.
 *
 * @returns null when there are no responses.
 * @throws RangeError when a count is not a non-negative integer or the level is not in (0, 1).
 */
export function npsInterval(counts: NpsCounts, level = 0.95): NpsInterval | null {
  assertCounts(counts);
  const z = zForConfidence(level);
  const n = counts.promoters + counts.passives + counts.detractors;
  if (n === 0) return null;

  const adjustedN = n + 3;
  const pPromoters = (counts.promoters + 0.75) / adjustedN;
  const pDetractors = (counts.detractors + 0.75) / adjustedN;
  const adjustedNps = pPromoters - pDetractors;
  const variance = pPromoters + pDetractors - adjustedNps * adjustedNps;
  const standardError = Math.sqrt(variance / adjustedN);
  return {
    low: Math.max(-100, 100 * (adjustedNps - z * standardError)),
    high: Math.min(100, 100 * (adjustedNps + z * standardError)),
    level,
  };
}

function assertCounts(counts: NpsCounts): void {
  assertCount('promoters', counts.promoters);
  assertCount('passives', counts.passives);
  assertCount('detractors', counts.detractors);
}

/**
 * NPS, category shares and adjusted-Wald interval for a set of counts.
 *
 * Takes counts rather than responses so that a dashboard can aggregate in SQL and still use the
 * one definition of the score (principle 6: show the NPS with its uncertainty).
 *
 * @throws RangeError when a count is not a non-negative integer or the level is not in (0, 1).
 */
export function computeNps(counts: NpsCounts, options: { level?: number } = {}): NpsResult {
  const interval = npsInterval(counts, options.level ?? 0.95);
  const { promoters, passives, detractors } = counts;
  const total = promoters + passives + detractors;
  if (total === 0) {
    return {
      total,
      promoters,
      passives,
      detractors,
      nps: null,
      promoterShare: null,
      passiveShare: null,
      detractorShare: null,
      interval: null,
    };
  }
  return {
    total,
    promoters,
    passives,
    detractors,
    nps: (100 * (promoters - detractors)) / total,
    promoterShare: promoters / total,
    passiveShare: passives / total,
    detractorShare: detractors / total,
    interval,
  };
}

/**
 * Histogram of scores: element i is the number of answers equal to i (always 11 elements).
 *
 * The distribution chart shows it, and it tells more than the NPS (a 6 and a 0 are both
 * detractors).
 *
 * @throws RangeError on any invalid score.
 */
export function scoreDistribution(scores: Iterable<number>): number[] {
  const histogram = new Array<number>(MAX_SCORE + 1).fill(0);
  for (const score of scores) {
    if (!isValidScore(score)) {
      throw new RangeError(`scoreDistribution: invalid score ${String(score)}`);
    }
    histogram[score] = (histogram[score] ?? 0) + 1;
  }
  return histogram;
}

/**
 * Category counts from a histogram of 11 score counts, e.g. the result of
 * `GROUP BY score` in SQL.
 *
 * @throws RangeError when the histogram does not have 11 non-negative integer counts.
 */
export function countsFromDistribution(histogram: readonly number[]): NpsCounts {
  if (histogram.length !== MAX_SCORE + 1) {
    throw new RangeError(`countsFromDistribution: expected 11 counts, got ${histogram.length}`);
  }
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  histogram.forEach((count, score) => {
    assertCount(`count of score ${score}`, count);
    const category = categorise(score);
    if (category === 'promoter') promoters += count;
    else if (category === 'passive') passives += count;
    else detractors += count;
  });
  return { promoters, passives, detractors };
}

/**
 * Category counts of individual scores.
 *
 * @throws RangeError on any invalid score.
 */
export function tallyScores(scores: Iterable<number>): NpsCounts {
  return countsFromDistribution(scoreDistribution(scores));
}
