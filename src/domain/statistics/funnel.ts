import type { NpsCounts } from '../scoring/nps.ts';
import { zForConfidence } from './normal.ts';

/**
 * Funnel plot of NPS against the number of answers (Spiegelhalter 2005, "Funnel plots for
 * comparing institutional performance", Statistics in Medicine 24:1185–1202).
 *
 * Each group is a point (n, NPS). The target θ₀ is the organisation's NPS; the control limits at n
 * are θ₀ ± z·σ/√n, with σ² = p_P + p_D − (p_P − p_D)² the per-answer variance of the NPS at the
 * organisation's shares. Spiegelhalter's two levels: 95 % (z = 1.96, "alert") and 99.8 %
 * (z = 3.09, "alarm"). A point outside a limit is further from the organisation than chance
 * explains at its n — the honest version of "who is above or below", which a ranking is not.
 */
export const FUNNEL_LEVELS = { inner: 0.95, outer: 0.998 } as const;

export type FunnelLimits = Readonly<{
  n: number;
  /** Organisation NPS, in points. */
  target: number;
  lower95: number;
  upper95: number;
  lower998: number;
  upper998: number;
}>;

export type FunnelPosition = 'far-above' | 'above' | 'within' | 'below' | 'far-below';

function shares(c: NpsCounts): { p: number; d: number; n: number } {
  const n = c.promoters + c.passives + c.detractors;
  return n === 0 ? { p: 0, d: 0, n } : { p: c.promoters / n, d: c.detractors / n, n };
}

/**
 * The control limits at n answers around the organisation's counts, clipped to [−100, 100].
 *
 * @throws RangeError when the organisation has no answers or n is not a positive number.
 */
export function funnelLimits(organisation: NpsCounts, n: number): FunnelLimits {
  const o = shares(organisation);
  if (o.n === 0) throw new RangeError('funnelLimits: the organisation has no answers');
  if (!(n > 0)) throw new RangeError(`funnelLimits: n must be positive, got ${n}`);
  const target = o.p - o.d;
  const sigma = Math.sqrt(Math.max(0, o.p + o.d - target * target));
  const at = (level: number, sign: 1 | -1) =>
    Math.max(
      -100,
      Math.min(100, 100 * (target + (sign * zForConfidence(level) * sigma) / Math.sqrt(n))),
    );
  return {
    n,
    target: 100 * target,
    lower95: at(FUNNEL_LEVELS.inner, -1),
    upper95: at(FUNNEL_LEVELS.inner, 1),
    lower998: at(FUNNEL_LEVELS.outer, -1),
    upper998: at(FUNNEL_LEVELS.outer, 1),
  };
}

/**
 * Where a group falls in the funnel. A point exactly on a limit counts as inside: only a group
 * beyond the limit is flagged. Null for a group without answers.
 */
export function funnelPosition(organisation: NpsCounts, group: NpsCounts): FunnelPosition | null {
  const g = shares(group);
  if (g.n === 0) return null;
  const nps = 100 * (g.p - g.d);
  const limits = funnelLimits(organisation, g.n);
  if (nps > limits.upper998) return 'far-above';
  if (nps > limits.upper95) return 'above';
  if (nps < limits.lower998) return 'far-below';
  if (nps < limits.lower95) return 'below';
  return 'within';
}

/**
 * Limits at `points` values of n spread evenly on a square-root scale from 1 to nMax, for drawing
 * the funnel's curves (they bend fastest at small n).
 */
export function funnelCurve(organisation: NpsCounts, nMax: number, points = 40): FunnelLimits[] {
  const top = Math.max(2, nMax);
  const out: FunnelLimits[] = [];
  for (let i = 0; i < points; i++) {
    const root = 1 + ((Math.sqrt(top) - 1) * i) / (points - 1);
    out.push(funnelLimits(organisation, root * root));
  }
  return out;
}
