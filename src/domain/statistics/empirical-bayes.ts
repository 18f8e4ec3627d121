import type { NpsCounts } from '../scoring/nps.ts';
import { digamma } from './special.ts';
import { zForConfidence } from './normal.ts';

/**
 * Empirical-Bayes NPS per group (account manager, team, location, …): each group's estimate is
 * pulled toward the organisation as far as its own answers are too few to stand alone.
 *
 * The model is Dirichlet–multinomial. Each group g has true shares θ_g = (promoter, passive,
 * detractor) ~ Dirichlet(A·m), and its answers are multinomial given θ_g. The prior is fitted from
 * the groups themselves (empirical Bayes; Casella 1985, "An introduction to empirical Bayes data
 * analysis", The American Statistician 39:83–87):
 *
 * - the mean m is the pooled share of each category over all groups;
 * - the precision A (how alike the groups are, in "answers' worth") maximises the marginal
 *   likelihood of the groups' counts with m fixed (Minka 2000, "Estimating a Dirichlet
 *   distribution", §4 "the precision"): the root of
 *     dL/dA = Σ_g [ψ(A) − ψ(N_g + A) + Σ_k m_k (ψ(n_gk + A·m_k) − ψ(A·m_k))]
 *   found by bisection on log A. When the groups differ no more than sampling explains, the
 *   likelihood keeps rising with A and we stop at `MAX_PRECISION`: every group is then close to the
 *   organisation, which is exactly what the data say.
 *
 * A group's posterior is Dirichlet(A·m + n_g); its NPS has mean (a_P − a_D)/A′ and variance
 * [a_P(A′−a_P) + a_D(A′−a_D) + 2·a_P·a_D] / (A′²(A′+1)), and the interval is the normal
 * approximation to it, clipped to [−100, 100].
 */
export type DirichletPrior = Readonly<{
  promoters: number;
  passives: number;
  detractors: number;
}>;

/** A precision this large means "the groups are indistinguishable from the organisation". */
export const MAX_PRECISION = 1e6;
const MIN_PRECISION = 1e-2;
/** With fewer groups than this the spread between groups cannot be estimated. */
export const MIN_GROUPS_TO_FIT = 3;
/**
 * Prior strength used when it cannot be fitted: three answers' worth, the same weight the adjusted
 * Wald interval adds (¾ + 1½ + ¾), centred on the organisation instead of on NPS 0.
 */
export const FALLBACK_PRECISION = 3;
/** Keeps a category nobody chose (no detractors anywhere) from a zero Dirichlet parameter. */
const MIN_SHARE = 1e-3;

function sizeOf(c: NpsCounts): number {
  return c.promoters + c.passives + c.detractors;
}

function pooledShares(groups: readonly NpsCounts[]): [number, number, number] {
  let p = 0;
  let o = 0;
  let d = 0;
  for (const g of groups) {
    p += g.promoters;
    o += g.passives;
    d += g.detractors;
  }
  const n = p + o + d;
  if (n === 0) return [0.5, 0.3, 0.2];
  const raw = [p / n, o / n, d / n].map((s) => Math.max(s, MIN_SHARE));
  const sum = (raw[0] ?? 0) + (raw[1] ?? 0) + (raw[2] ?? 0);
  return [(raw[0] ?? 0) / sum, (raw[1] ?? 0) / sum, (raw[2] ?? 0) / sum];
}

/** dL/dA of the Dirichlet–multinomial marginal likelihood with the mean fixed (Minka 2000). */
function precisionGradient(groups: readonly NpsCounts[], m: readonly number[], A: number): number {
  let sum = 0;
  const psiA = digamma(A);
  const psiAm = m.map((mk) => digamma(A * mk));
  // A group without answers adds ψ(A) − ψ(A) = 0, and a category it never chose m_k·0: no guards.
  for (const g of groups) {
    sum += psiA - digamma(sizeOf(g) + A);
    for (const [k, nk] of [g.promoters, g.passives, g.detractors].entries()) {
      const mk = m[k] ?? 0;
      sum += mk * (digamma(nk + A * mk) - (psiAm[k] ?? 0));
    }
  }
  return sum;
}

/**
 * Fits the Dirichlet prior from the groups' own counts (see the module comment). Groups without
 * answers are ignored; with fewer than three groups that have answers, the prior is the pooled
 * shares at `FALLBACK_PRECISION`.
 */
export function fitDirichletPrior(groups: readonly NpsCounts[]): DirichletPrior {
  const withAnswers = groups.filter((g) => sizeOf(g) > 0);
  const m = pooledShares(withAnswers);
  const prior = (A: number): DirichletPrior => ({
    promoters: A * m[0],
    passives: A * m[1],
    detractors: A * m[2],
  });
  if (withAnswers.length < MIN_GROUPS_TO_FIT) return prior(FALLBACK_PRECISION);
  // Stryker disable next-line EqualityOperator: with a gradient of exactly 0 there, the bisection ends within 1e-9 of the cap
  if (precisionGradient(withAnswers, m, MAX_PRECISION) >= 0) return prior(MAX_PRECISION);
  // Stryker disable next-line EqualityOperator: with a gradient of exactly 0 there, the bisection ends within 1e-9 of the floor
  if (precisionGradient(withAnswers, m, MIN_PRECISION) <= 0) return prior(MIN_PRECISION);
  let lo = Math.log(MIN_PRECISION);
  let hi = Math.log(MAX_PRECISION);
  // From [0.01, 1e6] to 1e-9 in log A: about 35 halvings.
  // Stryker disable next-line EqualityOperator: stopping at exactly 1e-9 or just below is the same estimate
  while (hi - lo > 1e-9) {
    const mid = (lo + hi) / 2;
    // Stryker disable next-line EqualityOperator: a gradient of exactly 0 is the root, either half holds it
    if (precisionGradient(withAnswers, m, Math.exp(mid)) > 0) lo = mid;
    else hi = mid;
  }
  return prior(Math.exp((lo + hi) / 2));
}

/** The prior's strength A, in answers' worth. */
export function priorPrecision(prior: DirichletPrior): number {
  return prior.promoters + prior.passives + prior.detractors;
}

/** A group's NPS shrunk toward the organisation, in points, with its credible interval. */
export type ShrunkNps = Readonly<{
  estimate: number;
  low: number;
  high: number;
  level: number;
  /** How much of the estimate comes from the group's own answers: n / (n + A), 0..1. */
  ownWeight: number;
}>;

/** Mean and standard deviation of a group's posterior NPS, in points (formulas above). */
export function posteriorNps(
  counts: NpsCounts,
  prior: DirichletPrior,
): { mean: number; sd: number; ownWeight: number } {
  const aP = prior.promoters + counts.promoters;
  const aD = prior.detractors + counts.detractors;
  const A = priorPrecision(prior) + sizeOf(counts);
  const mean = (aP - aD) / A;
  const variance = (aP * (A - aP) + aD * (A - aD) + 2 * aP * aD) / (A * A * (A + 1));
  return {
    mean: 100 * mean,
    sd: 100 * Math.sqrt(Math.max(0, variance)),
    ownWeight: sizeOf(counts) / A,
  };
}

/** Posterior NPS of one group under a prior, with its credible interval. */
export function shrunkNps(counts: NpsCounts, prior: DirichletPrior, level = 0.95): ShrunkNps {
  const z = zForConfidence(level);
  const { mean, sd, ownWeight } = posteriorNps(counts, prior);
  return {
    estimate: mean,
    low: Math.max(-100, mean - z * sd),
    high: Math.min(100, mean + z * sd),
    level,
    ownWeight,
  };
}

/** Fits the prior from the groups and shrinks each of them: the one call a breakdown makes. */
export function shrinkGroups(
  groups: readonly NpsCounts[],
  level = 0.95,
): { prior: DirichletPrior; estimates: ShrunkNps[] } {
  const prior = fitDirichletPrior(groups);
  return { prior, estimates: groups.map((g) => shrunkNps(g, prior, level)) };
}
