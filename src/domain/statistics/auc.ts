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
    // A weight of 0 adds nothing to any sum below.
    (o.positive ? positives : negatives).push({ values: o.markers, weight: o.weight });
  }
  const m = sum(positives);
  const n = sum(negatives);
  if (k === 0 || m <= 1 || n <= 1) return null;

  // Placement values: V10 for each positive (share of negatives it beats), V01 for each negative
  // (share of positives that beat it).
  const markers = [...new Array<number>(k).keys()];
  const placeNegatives = markers.map((r) => placer(negatives, r, n));
  const placePositives = markers.map((r) => placer(positives, r, m));
  const v10 = positives.map((g) => ({
    weight: g.weight,
    v: placeNegatives.map((place, r) => place(g.values[r] ?? 0, 'below')),
  }));
  const v01 = negatives.map((g) => ({
    weight: g.weight,
    v: placePositives.map((place, r) => place(g.values[r] ?? 0, 'above')),
  }));
  const theta = markers.map((r) => v10.reduce((s, p) => s + p.weight * (p.v[r] ?? 0), 0) / m);
  const covariance = theta.map((_, a) =>
    theta.map((__, b) => spread(v10, theta, a, b) / m + spread(v01, theta, a, b) / n),
  );
  const aucs = covariance.map((row, r) => {
    const estimate = theta[r] ?? 0;
    // A variance: sums of squares, never negative.
    const stdErr = Math.sqrt(row[r] ?? 0);
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
  const weightBefore = (index: number): number => cumulative[index - 1] ?? 0;
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

/** The weighted covariance of placements a and b around their means θ, divided by (total − 1). */
function spread(
  placed: readonly { weight: number; v: readonly number[] }[],
  theta: readonly number[],
  a: number,
  b: number,
): number {
  const total = placed.reduce((s, p) => s + p.weight, 0);
  const ta = theta[a] ?? 0;
  const tb = theta[b] ?? 0;
  return (
    placed.reduce((s, p) => s + p.weight * ((p.v[a] ?? 0) - ta) * ((p.v[b] ?? 0) - tb), 0) /
    (total - 1)
  );
}

/**
 * Interval of an AUC on the logit scale (Pepe 2003): symmetric intervals around a proportion near 1
 * spill past 1; the logit keeps them inside (0, 1). At 0 or 1 exactly the logit is infinite; but
 * there every placement equals the AUC, so it has no variance and its interval is the point itself.
 */
function logitInterval(auc: number, stdErr: number, z: number): { low: number; high: number } {
  // An AUC of exactly 0 or 1 has every placement equal to it, hence no variance: this covers both.
  if (stdErr === 0) return { low: auc, high: auc };
  const centre = Math.log(auc / (1 - auc));
  const half = (z * stdErr) / (auc * (1 - auc));
  const back = (x: number) => 1 / (1 + Math.exp(-x));
  return { low: back(centre - half), high: back(centre + half) };
}
