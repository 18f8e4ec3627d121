import type { NpsCounts } from '../scoring/nps.ts';
import type { Random } from './seeded-random.ts';

/**
 * Simulated NPS answers for simulation tests and synthetic benchmark data, drawn from a seeded
 * generator (`seeded-random.ts`) so a test of a statistical property (coverage, false-alarm rate)
 * gives the same verdict on every run.
 */

/** A draw from Gamma(shape, 1) (Marsaglia & Tsang 2000; shape < 1 by the boost x·U^(1/shape)). */
export function gammaDraw(random: Random, shape: number): number {
  // Stryker disable next-line EqualityOperator: the boost is exact for shape 1 too (only the stream differs)
  if (shape < 1) return gammaDraw(random, shape + 1) * Math.pow(random.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = random.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random.next();
    // Stryker disable next-line EqualityOperator: a continuous uniform draw never equals the bound
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** True category shares (promoter, passive, detractor) drawn from Dirichlet(alpha). */
export function dirichletDraw(
  random: Random,
  alpha: readonly [number, number, number],
): [number, number, number] {
  const g = alpha.map((a) => gammaDraw(random, a));
  const sum = (g[0] ?? 0) + (g[1] ?? 0) + (g[2] ?? 0);
  return [(g[0] ?? 0) / sum, (g[1] ?? 0) / sum, (g[2] ?? 0) / sum];
}

/** n answers from true shares (promoter, passive, detractor), tallied. */
export function sampleCounts(
  random: Random,
  n: number,
  shares: readonly [number, number, number],
): NpsCounts {
  let promoters = 0;
  let detractors = 0;
  for (let i = 0; i < n; i++) {
    const u = random.next();
    if (u < shares[0]) promoters++;
    else if (u < shares[0] + shares[2]) detractors++;
  }
  return { promoters, passives: n - promoters - detractors, detractors };
}
