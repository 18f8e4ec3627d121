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
 * - the mean m is the pooled share of each category over all groups (with one pseudo-answer each
 *   while a category is empty);
 * - the precision A (how alike the groups are, in "answers' worth") maximises the marginal
 *   likelihood of the groups' counts with m fixed (Minka 2000, "Estimating a Dirichlet
 *   distribution", §4 "the precision"): the root of
 *     dL/dA = Σ_g [ψ(A) − ψ(N_g + A) + Σ_k m_k (ψ(n_gk + A·m_k) − ψ(A·m_k))]
 *   found by bisection on log A. When the groups differ no more than sampling explains, the
 *   likelihood keeps rising with A and we stop at the number of answers that inform it (ΣN of
 *   the groups with two or more):
 *   the organisation's own figure is known no better than those answers tell, so a prior worth
 *   more would make every group surer than the organisation (eleven answers made every group's
 *   interval a third of a point wide). Every group is then close to the organisation, with the
 *   organisation's uncertainty, which is exactly what the data say.
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

/** The largest precision at all; the fit stops at the answers the mean rests on before it. */
export const MAX_PRECISION = 1e6;
/**
 * The least a group borrows from the organisation: three answers' worth (`FALLBACK_PRECISION`),
 * as the adjusted Wald interval adds three. Below it the fit would say "groups are pure" (all
 * promoters or all detractors) whenever the few answers there are agree within each group, and
 * one answer of 10 would then prove a group's +100.
 */
const MIN_PRECISION = 3;
/** With fewer groups than this the spread between groups cannot be estimated. */
export const MIN_GROUPS_TO_FIT = 3;
/**
 * Prior strength used when it cannot be fitted: three answers' worth, the same weight the adjusted
 * Wald interval adds (¾ + 1½ + ¾), centred on the organisation instead of on NPS 0.
 */
export const FALLBACK_PRECISION = 3;
/**
 * When a category nobody chose yet (no detractors in a young programme), one pseudo-answer per
 * category in the pooled shares (Laplace's rule of succession): it keeps the share a few answers
 * cannot rule out — three promoters say "a detractor in six", not "one in a thousand" — and no
 * Dirichlet parameter is zero. With every category chosen, the shares are the organisation's own.
 */
const PSEUDO = 1;

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
  if (p + o + d === 0) return [0.5, 0.3, 0.2];
  const add = p > 0 && o > 0 && d > 0 ? 0 : PSEUDO;
  const n = p + o + d + 3 * add;
  return [(p + add) / n, (o + add) / n, (d + add) / n];
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
 * answers are ignored; with fewer than three groups that have answers, or none with two, the
 * prior is the pooled shares at `FALLBACK_PRECISION`.
 */
export function fitDirichletPrior(groups: readonly NpsCounts[]): DirichletPrior {
  const withAnswers = groups.filter((g) => sizeOf(g) > 0);
  const m = pooledShares(withAnswers);
  const prior = (A: number): DirichletPrior => ({
    promoters: A * m[0],
    passives: A * m[1],
    detractors: A * m[2],
  });
  // One answer of a group says nothing about how far groups differ (a single answer is as likely
  // under any precision): only groups with two or more inform the spread, and with fewer than
  // three of those it cannot be fitted either — nor may the one pair of 500 one-answer people set
  // the prior's strength for all of them.
  const informative = withAnswers.filter((g) => sizeOf(g) >= 2);
  if (withAnswers.length < MIN_GROUPS_TO_FIT || informative.length < MIN_GROUPS_TO_FIT) {
    return prior(FALLBACK_PRECISION);
  }
  const answers = informative.reduce((n, g) => n + sizeOf(g), 0);
  const cap = Math.max(MIN_PRECISION, Math.min(MAX_PRECISION, answers));
  // Stryker disable next-line EqualityOperator: with a gradient of exactly 0 there, the bisection ends within 1e-9 of the cap
  if (precisionGradient(withAnswers, m, cap) >= 0) return prior(cap);
  // Stryker disable next-line EqualityOperator: with a gradient of exactly 0 there, the bisection ends within 1e-9 of the floor
  if (precisionGradient(withAnswers, m, MIN_PRECISION) <= 0) return prior(MIN_PRECISION);
  let lo = Math.log(MIN_PRECISION);
  let hi = Math.log(cap);
  // From [3, 1e6] to 1e-9 in log A: at most about 34 halvings.
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
