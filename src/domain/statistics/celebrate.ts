import { MIN_ANSWERS_FOR_CHANGE } from './nps-change.ts';
import type { NpsCounts } from '../scoring/nps.ts';
import type { DirichletPrior } from './empirical-bayes.ts';
import { fitDirichletPrior, posteriorNps } from './empirical-bayes.ts';
import { normalCdf } from './normal.ts';

/**
 * When a person's NPS change deserves a note: "celebrate" for a real rise, "attention" for a real
 * drop, nothing for noise (principle 4: celebrate a real rise, not only act on a drop; never on
 * noise).
 *
 * Each period is the person's posterior under the organisation's fitted prior (empirical Bayes,
 * `empirical-bayes.ts`): with few answers both periods are pulled toward the organisation, so a
 * jump from 3 answers to 4 cannot look like a triumph. The probability of a real rise is
 *   P(θ_after > θ_before) ≈ Φ((μ_after − μ_before) / √(σ²_before + σ²_after))
 * (normal approximation to the two independent posteriors). A note fires when that probability is
 * at least `threshold` — or the probability of a drop is — and both periods have at least
 * `minAnswers` answers.
 *
 * The threshold is 0.975, not 0.95: there are two notes, and the promise is that on pure noise the
 * two TOGETHER fire in at most 5 % of person-periods (a two-sided test at the 95 % level). At 0.95
 * each they fire on up to 10 % of noise once people have 100 answers a period or differ widely
 * (`celebrate-simulation.test.ts` measures both, and the power the stricter level costs).
 */
export type ChangeVerdict = 'celebrate' | 'attention' | null;

export type PersonChange = Readonly<{
  verdict: ChangeVerdict;
  probabilityOfRise: number | null;
  /** Shrunk NPS (points) of each period. */
  before: number | null;
  after: number | null;
}>;

export type CelebrateRule = Readonly<{ threshold: number; minAnswers: number }>;

export const DEFAULT_CELEBRATE_RULE: CelebrateRule = {
  threshold: 0.975,
  minAnswers: MIN_ANSWERS_FOR_CHANGE,
};

function size(c: NpsCounts): number {
  return c.promoters + c.passives + c.detractors;
}

/** Judges one person's change between two periods (see the module comment). */
export function judgePersonChange(
  before: NpsCounts,
  after: NpsCounts,
  prior: DirichletPrior,
  rule: CelebrateRule = DEFAULT_CELEBRATE_RULE,
): PersonChange {
  if (size(before) === 0 || size(after) === 0) {
    return { verdict: null, probabilityOfRise: null, before: null, after: null };
  }
  const a = posteriorNps(before, prior);
  const b = posteriorNps(after, prior);
  const sd = Math.sqrt(a.sd ** 2 + b.sd ** 2);
  // Both posteriors certain (a prior with a category at zero and answers all in one category):
  // a higher mean is a sure rise, an equal one no evidence either way.
  const p =
    sd === 0
      ? b.mean > a.mean
        ? 1
        : b.mean < a.mean
          ? 0
          : 0.5
      : normalCdf((b.mean - a.mean) / sd);
  const enough = size(before) >= rule.minAnswers && size(after) >= rule.minAnswers;
  const verdict: ChangeVerdict = !enough
    ? null
    : p >= rule.threshold
      ? 'celebrate'
      : 1 - p >= rule.threshold
        ? 'attention'
        : null;
  return { verdict, probabilityOfRise: p, before: a.mean, after: b.mean };
}

/** One person's (or team's) answers in the period before and the period judged. */
export type GroupPeriods = Readonly<{ key: string; before: NpsCounts; after: NpsCounts }>;

export type GroupChange = PersonChange &
  Readonly<{ key: string; answersBefore: number; answersAfter: number }>;

/**
 * Judges every person (or team) of an organisation for one period, the way the notification job
 * does: the prior is fitted from all of them in both periods (each person-period one group, so
 * neither period is the reference and the prior does not move with the change being judged), and
 * each person's change is judged under it with `judgePersonChange`. Returns the groups in the
 * order given, verdict or not.
 */
export function judgeGroupChanges(
  groups: readonly GroupPeriods[],
  rule: CelebrateRule = DEFAULT_CELEBRATE_RULE,
): GroupChange[] {
  const prior = fitDirichletPrior(groups.flatMap((g) => [g.before, g.after]));
  return groups.map((g) => ({
    key: g.key,
    answersBefore: size(g.before),
    answersAfter: size(g.after),
    ...judgePersonChange(g.before, g.after, prior, rule),
  }));
}
