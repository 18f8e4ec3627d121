import type { NpsCounts } from '../scoring/nps.ts';
import { adjustedNps, MIN_ANSWERS_FOR_CHANGE } from './nps-change.ts';
import { zForConfidence } from './normal.ts';

/**
 * Why the NPS moved: the change between two periods split over the groups of one dimension
 * (location, segment, account manager, …).
 *
 * The organisation's NPS is the answer-weighted mean of its groups' NPS: S = Σ w_g·s_g. With
 * midpoints w̄ = (w₁+w₂)/2, s̄ = (s₁+s₂)/2 and S̄ = (S₁+S₂)/2, each group's part is
 *
 *   performance_g = w̄_g · (s₂_g − s₁_g)          its own NPS moved
 *   mix_g         = (w₂_g − w₁_g) · (s̄_g − S̄)     its share of answers moved (relative to the
 *                                                  organisation, so a growing average group adds 0)
 *
 * and Σ_g (performance_g + mix_g) = S₂ − S₁ exactly (the symmetric, Shapley-style split of a
 * weighted mean; Σ Δw = 0 removes the S̄ term). A group absent in one period borrows its NPS from
 * the other, so it contributes through the mix only.
 *
 * Uncertainty (normal approximations, covariances between groups ignored):
 *   var(performance) = w̄² · (v₁/n'₁ + v₂/n'₂)  with Rocks' adjusted per-answer variance v
 *   var(mix)        = (s̄ − S̄)² · (w₁(1−w₁)/N₁ + w₂(1−w₂)/N₂)
 * and a part is `real` when |part| > z·se — "never a story told from noise". As for a change of the
 * whole (`MIN_ANSWERS_FOR_CHANGE`), a group needs at least that many answers in each period it has
 * answers in: the normal approximation is poor with a handful, and three twos followed by three
 * tens is no story. A group without any answers in one period (it came or went) can still be real.
 */
export type GroupPeriods<K extends string = string> = Readonly<{
  key: K;
  before: NpsCounts;
  after: NpsCounts;
}>;

export type ChangePart<K extends string = string> = Readonly<{
  key: K;
  /** The group's part of the change, in NPS points: mix + performance. */
  contribution: number;
  mix: number;
  performance: number;
  standardError: number;
  real: boolean;
  beforeShare: number;
  afterShare: number;
  beforeNps: number | null;
  afterNps: number | null;
}>;

export type ChangeDecomposition<K extends string = string> = Readonly<{
  before: number | null;
  after: number | null;
  change: number | null;
  /** Largest absolute contribution first. */
  parts: Array<ChangePart<K>>;
}>;

function size(c: NpsCounts): number {
  return c.promoters + c.passives + c.detractors;
}

/** A period of a group tells enough: none at all (the group came or went), or enough answers. */
const enough = (c: NpsCounts): boolean => size(c) === 0 || size(c) >= MIN_ANSWERS_FOR_CHANGE;

function npsOf(c: NpsCounts): number | null {
  const n = size(c);
  return n === 0 ? null : (100 * (c.promoters - c.detractors)) / n;
}

/** Splits the organisation's NPS change over groups (see the module comment). */
export function decomposeChange<K extends string>(
  groups: ReadonlyArray<GroupPeriods<K>>,
  level = 0.95,
): ChangeDecomposition<K> {
  const z = zForConfidence(level);
  const N1 = groups.reduce((s, g) => s + size(g.before), 0);
  const N2 = groups.reduce((s, g) => s + size(g.after), 0);
  if (N1 === 0 || N2 === 0) {
    const only = N1 === 0 ? N2 : N1;
    const total = groups.reduce(
      (s, g) =>
        s +
        (N1 === 0 ? size(g.after) : size(g.before)) * (npsOf(N1 === 0 ? g.after : g.before) ?? 0),
      0,
    );
    const value = total / only; // used only for the period that has answers, so only > 0
    return {
      before: N1 === 0 ? null : value,
      after: N2 === 0 ? null : value,
      change: null,
      parts: [],
    };
  }
  const rows = groups
    .filter((g) => size(g.before) + size(g.after) > 0)
    .map((g) => {
      const s1 = npsOf(g.before);
      const s2 = npsOf(g.after);
      return {
        g,
        w1: size(g.before) / N1,
        w2: size(g.after) / N2,
        s1: s1 ?? s2 ?? 0,
        s2: s2 ?? s1 ?? 0,
        observed1: s1,
        observed2: s2,
      };
    });
  const S1 = rows.reduce((s, r) => s + r.w1 * r.s1, 0);
  const S2 = rows.reduce((s, r) => s + r.w2 * r.s2, 0);
  const Sbar = (S1 + S2) / 2;
  const parts = rows.map((r): ChangePart<K> => {
    const wbar = (r.w1 + r.w2) / 2;
    const sbar = (r.s1 + r.s2) / 2;
    const performance = wbar * (r.s2 - r.s1);
    const mix = (r.w2 - r.w1) * (sbar - Sbar);
    let varPerformance = 0;
    if (size(r.g.before) > 0 && size(r.g.after) > 0) {
      const a = adjustedNps(r.g.before);
      const b = adjustedNps(r.g.after);
      varPerformance = wbar * wbar * 10_000 * (a.variance / a.n + b.variance / b.n);
    }
    const varMix = (sbar - Sbar) ** 2 * ((r.w1 * (1 - r.w1)) / N1 + (r.w2 * (1 - r.w2)) / N2);
    const standardError = Math.sqrt(varPerformance + varMix);
    const contribution = performance + mix;
    return {
      key: r.g.key,
      contribution,
      mix,
      performance,
      standardError,
      real: enough(r.g.before) && enough(r.g.after) && Math.abs(contribution) > z * standardError,
      beforeShare: r.w1,
      afterShare: r.w2,
      beforeNps: r.observed1,
      afterNps: r.observed2,
    };
  });
  parts.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return { before: S1, after: S2, change: S2 - S1, parts };
}
