import type { NpsCounts } from '../scoring/nps.ts';
import type { DirichletPrior } from './empirical-bayes.ts';
import { posteriorNps } from './empirical-bayes.ts';
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
 * at least `threshold` (0.95) — or the probability of a drop is — and both periods have at least
 * `minAnswers` answers.
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

export const DEFAULT_CELEBRATE_RULE: CelebrateRule = { threshold: 0.95, minAnswers: 10 };

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
  const p = sd === 0 ? (b.mean > a.mean ? 1 : 0) : normalCdf((b.mean - a.mean) / sd);
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
