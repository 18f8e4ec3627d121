import { normalCdf, zForConfidence } from './normal.ts';

/**
 * The area under the ROC curve (AUC) of one or more markers, with DeLong's variance.
 *
 * The AUC is the Mann–Whitney probability that a customer who came back has a higher marker (score,
 * prior visits, a model's prediction) than one who did not, ties counting one half: 0.5 is a coin,
 * 1 is perfect. DeLong, DeLong & Clarke-Pearson (1988) give its variance, and — because the markers
 * are measured on the same customers — the covariance between markers, which is what an honest
 * "does the score add anything to how often they already came?" needs.
 *
 * Observations carry weights (counts), so SQL can hand over grouped rows.
 */

export type MarkedObservation = Readonly<{
  /** One value per marker; the same markers, in the same order, for every observation. */
  markers: readonly number[];
  positive: boolean;
  /** How many customers share these values and this outcome. */
  weight: number;
}>;

export type AucEstimate = Readonly<{
  estimate: number;
  stdErr: number;
  /** Interval on the logit scale, mapped back: stays inside (0, 1). */
  low: number;
  high: number;
}>;

export type AucResult = Readonly<{
  positives: number;
  negatives: number;
  aucs: readonly AucEstimate[];
  /** DeLong covariance matrix of the AUCs. */
  covariance: readonly (readonly number[])[];
  level: number;
}>;

export type AucDifference = Readonly<{
  /** AUC of marker a minus AUC of marker b. */
  estimate: number;
  stdErr: number;
  low: number;
  high: number;
  /** Two-sided p-value of "no difference". */
  p: number;
  level: number;
}>;

type Group = { values: readonly number[]; weight: number };

/**
 * AUCs and their DeLong covariance. Returns null when either outcome is missing (no AUC exists) or
 * when one side has a total weight of one (no variance can be estimated).
 *
 * @throws RangeError on inconsistent marker counts, non-finite values or negative weights.
 */
export function deLongAuc(
  observations: readonly MarkedObservation[],
  options: { level?: number } = {},
): AucResult | null {
  const level = options.level ?? 0.95;
  const z = zForConfidence(level);
  const k = observations[0]?.markers.length ?? 0;
  const positives: Group[] = [];
  const negatives: Group[] = [];
  for (const o of observations) {
    if (o.markers.length !== k)
      throw new RangeError('deLongAuc: every observation needs the same markers');
    if (!o.markers.every(Number.isFinite))
      throw new RangeError('deLongAuc: markers must be finite');
    if (!Number.isFinite(o.weight) || o.weight < 0)
      throw new RangeError('deLongAuc: weights must be ≥ 0');
    if (o.weight === 0) continue;
    (o.positive ? positives : negatives).push({ values: o.markers, weight: o.weight });
  }
  const m = sum(positives);
  const n = sum(negatives);
  if (k === 0 || m <= 1 || n <= 1) return null;

  // Placement values: V10 for each positive (share of negatives it beats), V01 for each negative
  // (share of positives that beat it).
  const v10 = positives.map(() => new Array<number>(k).fill(0));
  const v01 = negatives.map(() => new Array<number>(k).fill(0));
  for (let r = 0; r < k; r++) {
    const placeNegatives = placer(negatives, r, n);
    positives.forEach((g, i) => {
      const row = v10[i];
      if (row) row[r] = placeNegatives(g.values[r] ?? 0, 'below');
    });
    const placePositives = placer(positives, r, m);
    negatives.forEach((g, j) => {
      const row = v01[j];
      if (row) row[r] = placePositives(g.values[r] ?? 0, 'above');
    });
  }
  const theta = Array.from(
    { length: k },
    (_, r) => positives.reduce((s, g, i) => s + g.weight * (v10[i]?.[r] ?? 0), 0) / m,
  );
  const s10 = covarianceOf(positives, v10, theta, m);
  const s01 = covarianceOf(negatives, v01, theta, n);
  const covariance = s10.map((row, a) => row.map((value, b) => value / m + (s01[a]?.[b] ?? 0) / n));
  const aucs = theta.map((estimate, r) => {
    const stdErr = Math.sqrt(Math.max(0, covariance[r]?.[r] ?? 0));
    return { estimate, stdErr, ...logitInterval(estimate, stdErr, z) };
  });
  return { positives: m, negatives: n, aucs, covariance, level };
}

/**
 * The difference between two AUCs measured on the same customers, with the paired DeLong test.
 */
export function compareAuc(result: AucResult, a: number, b: number): AucDifference {
  const z = zForConfidence(result.level);
  const A = result.aucs[a];
  const B = result.aucs[b];
  if (!A || !B) throw new RangeError('compareAuc: no such marker');
  const estimate = A.estimate - B.estimate;
  const variance =
    (result.covariance[a]?.[a] ?? 0) +
    (result.covariance[b]?.[b] ?? 0) -
    2 * (result.covariance[a]?.[b] ?? 0);
  const stdErr = Math.sqrt(Math.max(0, variance));
  const p = stdErr === 0 ? (estimate === 0 ? 1 : 0) : 2 * normalCdf(-Math.abs(estimate / stdErr));
  return {
    estimate,
    stdErr,
    low: estimate - z * stdErr,
    high: estimate + z * stdErr,
    p,
    level: result.level,
  };
}

function sum(groups: readonly Group[]): number {
  return groups.reduce((s, g) => s + g.weight, 0);
}

/**
 * For marker r: a function giving, for a value v, the weighted share of `groups` strictly below
 * (or above) v plus half the share equal to v — ψ of Mann–Whitney — by binary search.
 */
function placer(groups: readonly Group[], r: number, total: number) {
  const sorted = groups
    .map((g) => ({ value: g.values[r] ?? 0, weight: g.weight }))
    .sort((x, y) => x.value - y.value);
  const cumulative: number[] = [];
  let running = 0;
  for (const g of sorted) {
    running += g.weight;
    cumulative.push(running);
  }
  const weightBefore = (index: number): number => (index === 0 ? 0 : (cumulative[index - 1] ?? 0));
  const firstAtLeast = (v: number, strict: boolean): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const x = sorted[mid]?.value ?? 0;
      if (strict ? x <= v : x < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (v: number, side: 'below' | 'above'): number => {
    const below = weightBefore(firstAtLeast(v, false));
    const upToEqual = weightBefore(firstAtLeast(v, true));
    const equal = upToEqual - below;
    const above = total - upToEqual;
    return ((side === 'below' ? below : above) + equal / 2) / total;
  };
}

function covarianceOf(
  groups: readonly Group[],
  placements: readonly (readonly number[])[],
  theta: readonly number[],
  total: number,
): number[][] {
  const k = theta.length;
  const s = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  groups.forEach((g, i) => {
    const v = placements[i] ?? [];
    for (let a = 0; a < k; a++) {
      const row = s[a] ?? [];
      for (let b = 0; b < k; b++) {
        row[b] =
          (row[b] ?? 0) +
          g.weight * ((v[a] ?? 0) - (theta[a] ?? 0)) * ((v[b] ?? 0) - (theta[b] ?? 0));
      }
    }
  });
  return s.map((row) => row.map((x) => x / (total - 1)));
}

/**
 * Interval of an AUC on the logit scale (Pepe 2003): symmetric intervals around a proportion near 1
 * spill past 1; the logit keeps them inside (0, 1). At 0 or 1 exactly the logit is infinite, and the
 * plain Wald interval (clipped) is the only one left.
 */
function logitInterval(auc: number, stdErr: number, z: number): { low: number; high: number } {
  if (auc <= 0 || auc >= 1 || stdErr === 0) {
    return { low: Math.max(0, auc - z * stdErr), high: Math.min(1, auc + z * stdErr) };
  }
  const centre = Math.log(auc / (1 - auc));
  const half = (z * stdErr) / (auc * (1 - auc));
  const back = (x: number) => 1 / (1 + Math.exp(-x));
  return { low: back(centre - half), high: back(centre + half) };
}
