import type { NpsCounts } from '../scoring/nps.ts';
import { digamma, lnGamma } from './special.ts';
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
 *
 * The intervals a breakdown shows (`shrinkGroups`) do not plug the fitted A in as if it were known.
 * Where groups differ little next to their sampling noise (true A well above a group's answers),
 * the likelihood hardly tells A = 3,000 from A = 100,000: the fit lands anywhere in between, often
 * at the cap, and intervals from the plugged-in A covered 71–80 % instead of 95 % (500 groups of
 * 200 answers; `empirical-bayes-coverage.test.ts`). Morris's correction (Morris 1983, "Parametric
 * empirical Bayes inference: theory and applications", JASA 78:47–55) adds the variance of the
 * estimated shrinkage, Var(B̂)·(ȳ_g − m)² with Var(B̂) ≈ 2B̂²/(k − 3); at the cap B̂ ≈ 1 and that is
 * 2/(k − 3) of a group's noise, far too little with 500 groups. So we take the step Morris's
 * correction approximates: A is integrated out (`precisionPosterior`). Its posterior is the
 * marginal likelihood L(A) of the groups' counts (m fixed) times a weak hyperprior, on a grid of
 * `PRECISION_GRID_POINTS` values of log A from the floor to the cap; the hyperprior is uniform on
 * the shrinkage B₀ = A/(A + N₀) of a typical group, N₀ the harmonic mean of the informative groups'
 * sizes: p(A) = N₀/(N₀ + A)² (the "uniform shrinkage prior" of Christiansen & Morris 1997,
 * "Hierarchical Poisson regression modeling", JASA 92:618–632; Daniels 1999, "A prior for the
 * variance in hierarchical models", Can. J. Stat. 27:567–578). It keeps every shrinkage from none
 * to complete possible, and weighs a precision a hundred times N₀ at about 1 % of one equal to N₀,
 * so the flat likelihood toward the cap does not carry the posterior there. A group's NPS is then
 * a mixture of the Dirichlet posteriors over the grid: mean Σ w_j·μ_j, variance
 * Σ w_j·(σ_j² + μ_j²) − mean² (the spread of the μ_j is the uncertainty in A), and the interval the
 * normal approximation to that.
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
function priorAt(m: readonly [number, number, number], A: number): DirichletPrior {
  return { promoters: A * m[0], passives: A * m[1], detractors: A * m[2] };
}

/**
 * What a fit starts from: the groups with answers, the pooled shares, and the informative groups
 * with the cap on A — or no informative groups when the precision cannot be fitted.
 */
function fitSetup(groups: readonly NpsCounts[]): {
  withAnswers: NpsCounts[];
  m: [number, number, number];
  informative: NpsCounts[];
  cap: number;
} {
  const withAnswers = groups.filter((g) => sizeOf(g) > 0);
  const m = pooledShares(withAnswers);
  // One answer of a group says nothing about how far groups differ (a single answer is as likely
  // under any precision): only groups with two or more inform the spread, and with fewer than
  // three of those it cannot be fitted either — nor may the one pair of 500 one-answer people set
  // the prior's strength for all of them.
  const informative = withAnswers.filter((g) => sizeOf(g) >= 2);
  if (withAnswers.length < MIN_GROUPS_TO_FIT || informative.length < MIN_GROUPS_TO_FIT) {
    return { withAnswers, m, informative: [], cap: FALLBACK_PRECISION };
  }
  const answers = informative.reduce((n, g) => n + sizeOf(g), 0);
  const cap = Math.max(MIN_PRECISION, Math.min(MAX_PRECISION, answers));
  return { withAnswers, m, informative, cap };
}

export function fitDirichletPrior(groups: readonly NpsCounts[]): DirichletPrior {
  const { withAnswers, m, informative, cap } = fitSetup(groups);
  const prior = (A: number): DirichletPrior => priorAt(m, A);
  if (informative.length === 0) return prior(FALLBACK_PRECISION);
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

/** Values of log A, evenly spaced from the floor to the cap, over which A is integrated out. */
export const PRECISION_GRID_POINTS = 161;

/**
 * ln of the groups' Dirichlet–multinomial marginal likelihood at precision A with the mean m fixed,
 * up to the multinomial coefficients (which do not depend on A):
 *   Σ_g [ln Γ(A) − ln Γ(N_g + A) + Σ_k (ln Γ(n_gk + A·m_k) − ln Γ(A·m_k))].
 * Groups with the same counts are counted once, times how often they occur.
 */
export function precisionLogLikelihood(
  groups: readonly NpsCounts[],
  m: readonly [number, number, number],
  A: number,
): number {
  const tally = new Map<string, { counts: NpsCounts; times: number }>();
  for (const g of groups) {
    const key = `${g.promoters}/${g.passives}/${g.detractors}`;
    const seen = tally.get(key);
    if (seen) seen.times++;
    else tally.set(key, { counts: g, times: 1 });
  }
  const lnA = lnGamma(A);
  const lnAm = m.map((mk) => lnGamma(A * mk));
  let sum = 0;
  for (const { counts, times } of tally.values()) {
    let term = lnA - lnGamma(sizeOf(counts) + A);
    for (const [k, nk] of [counts.promoters, counts.passives, counts.detractors].entries()) {
      const mk = m[k] ?? 0;
      term += lnGamma(nk + A * mk) - (lnAm[k] ?? 0);
    }
    sum += times * term;
  }
  return sum;
}

/**
 * One precision the prior may have, with its posterior probability and the variance, at that
 * precision, of the organisation's NPS the prior is centred on (as a share, −1..1): the pooled
 * shares are estimated from the same groups.
 */
export type PrecisionPoint = Readonly<{ precision: number; weight: number; meanVariance: number }>;

/** The prior with its precision integrated out: the pooled shares and A's posterior on a grid. */
export type PriorPosterior = Readonly<{
  shares: readonly [number, number, number];
  points: readonly PrecisionPoint[];
}>;

/**
 * The posterior of the prior's precision A given the groups (see the module comment): L(A) times
 * the uniform-shrinkage hyperprior N₀/(N₀ + A)², on `PRECISION_GRID_POINTS` values of log A from
 * the floor (three answers' worth) to the cap of `fitDirichletPrior`. When A cannot be fitted
 * (fewer than three groups with two answers or more), the one point `FALLBACK_PRECISION`.
 */
export function precisionPosterior(groups: readonly NpsCounts[]): PriorPosterior {
  const { withAnswers, m, informative, cap } = fitSetup(groups);
  if (informative.length === 0) {
    return { shares: m, points: [{ precision: FALLBACK_PRECISION, weight: 1, meanVariance: 0 }] };
  }
  // The typical group's size for the hyperprior: the harmonic mean of the informative groups'.
  const n0 = informative.length / informative.reduce((s, g) => s + 1 / sizeOf(g), 0);
  // One answer's NPS (+1, 0, −1) has variance v = m_P + m_D − (m_P − m_D)² under the prior mean;
  // a group's share of it, v·(N_g + A)/(N_g·(A + 1)) (Dirichlet–multinomial), and the pooled
  // share, weighted by N_g, v·Σ N_g(N_g + A) / ((A + 1)·(ΣN)²).
  const v = m[0] + m[2] - (m[0] - m[2]) ** 2;
  const answers = withAnswers.reduce((n, g) => n + sizeOf(g), 0);
  const meanVarianceAt = (A: number) =>
    (v * withAnswers.reduce((t, g) => t + sizeOf(g) * (sizeOf(g) + A), 0)) /
    ((A + 1) * answers * answers);
  const lo = Math.log(MIN_PRECISION);
  const step = (Math.log(cap) - lo) / (PRECISION_GRID_POINTS - 1);
  const logWeights: number[] = [];
  const precisions: number[] = [];
  for (let j = 0; j < PRECISION_GRID_POINTS; j++) {
    const A = Math.exp(lo + j * step);
    precisions.push(A);
    // The hyperprior as a density in log A (the grid's spacing): A·N₀/(N₀ + A)², its constant N₀
    // left out as the weights are normalised below. Then the
    // restricted-likelihood factor for the two free shares of m, estimated from the same groups:
    // each costs ½·ln of a typical group's variance of its share, ∝ (N₀ + A)/(A + 1) (in the
    // normal model the REML likelihood's ½·ln(σ² + τ²); Morris's (k − 3)/(k − 1) in B̂ corrects
    // for the same loss). Without it a fit from ten groups of five overstates A by half or more.
    logWeights.push(
      precisionLogLikelihood(withAnswers, m, A) +
        Math.log(A) -
        2 * Math.log(n0 + A) +
        Math.log((n0 + A) / (A + 1)),
    );
  }
  const top = Math.max(...logWeights);
  const raw = logWeights.map((w) => Math.exp(w - top));
  const total = raw.reduce((s, w) => s + w, 0);
  return {
    shares: m,
    points: precisions.map((precision, j) => ({
      precision,
      weight: (raw[j] ?? 0) / total,
      meanVariance: meanVarianceAt(precision),
    })),
  };
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

/**
 * Posterior NPS of one group with the prior's precision integrated out (module comment): the
 * mixture over `posterior.points` of the Dirichlet posteriors, with its credible interval.
 */
export function mixedShrunkNps(
  counts: NpsCounts,
  posterior: PriorPosterior,
  level = 0.95,
): ShrunkNps {
  const z = zForConfidence(level);
  let mean = 0;
  let second = 0;
  let ownWeight = 0;
  for (const { precision, weight, meanVariance } of posterior.points) {
    const p = posteriorNps(counts, priorAt(posterior.shares, precision));
    // The estimate borrows 1 − ownWeight of the organisation's NPS, and with it that share of the
    // organisation's own uncertainty (Morris's (k − 1)/k·B̂ term).
    const borrowed = 100 * (1 - p.ownWeight);
    mean += weight * p.mean;
    second += weight * (p.sd * p.sd + borrowed * borrowed * meanVariance + p.mean * p.mean);
    ownWeight += weight * p.ownWeight;
  }
  const sd = Math.sqrt(Math.max(0, second - mean * mean));
  return {
    estimate: mean,
    low: Math.max(-100, mean - z * sd),
    high: Math.min(100, mean + z * sd),
    level,
    ownWeight,
  };
}

/**
 * Fits the prior from the groups and shrinks each of them: the one call a breakdown makes. `prior`
 * is the best-fitting prior (`fitDirichletPrior`); the estimates and intervals integrate its
 * precision out (`precisionPosterior`, `mixedShrunkNps`), so they stay honest where the fit is
 * unsure of it.
 */
export function shrinkGroups(
  groups: readonly NpsCounts[],
  level = 0.95,
): { prior: DirichletPrior; estimates: ShrunkNps[] } {
  const prior = fitDirichletPrior(groups);
  const posterior = precisionPosterior(groups);
  return { prior, estimates: groups.map((g) => mixedShrunkNps(g, posterior, level)) };
}
