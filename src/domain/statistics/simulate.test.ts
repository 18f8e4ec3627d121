import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from './seeded-random.ts';
import { dirichletDraw, gammaDraw, sampleCounts } from './simulate.ts';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

// By hand first: under Stryker these fail fast for most mutants, before the 20,000-draw tests.
describe('simulated answers by hand', () => {
  /** A Random that returns the given normal and uniform draws in order (and fails past them). */
  const scripted = (normals: number[], uniforms: number[]): Random => ({
    normal: () => {
      const x = normals.shift();
      if (x === undefined) throw new Error('no normal draw left');
      return x;
    },
    next: () => {
      const u = uniforms.shift();
      if (u === undefined) throw new Error('no uniform draw left');
      return u;
    },
    int: () => 0,
  });

  it('Marsaglia–Tsang by hand: the squeeze, the log test, and both rejections', () => {
    // Shape 2: d = 2 − 1/3 = 5/3, c = 1/√(9d) = 1/√15 = 0.2581989.
    // x = 0, u = ½: v = 1, and ½ < 1 − 0.0331·0 passes the squeeze: d·v = 5/3.
    expect(gammaDraw(scripted([0], [0.5]), 2)).toBe(5 / 3);
    // x = −5: v = 1 − 5/√15 < 0, drawn again; then as above.
    expect(gammaDraw(scripted([-5, 0], [0.5]), 2)).toBe(5 / 3);
    // x = 1, u = 0.97: v = (1 + c)³ = 1.991781; the squeeze bound is 1 − 0.0331 = 0.9669 < u, but
    // log 0.97 = −0.030459 < ½ + d·(1 − v + log v) = −0.004610: accepted, d·v = 3.3196832.
    expect(gammaDraw(scripted([1], [0.97]), 2)).toBeCloseTo(3.3196832143, 9);
    // x = 1, u = 0.999: log 0.999 = −0.0010005 > −0.004610, rejected; then x = 0, u = ½.
    expect(gammaDraw(scripted([1, 0], [0.999, 0.5]), 2)).toBe(5 / 3);
    // x = 1, u = 0.9: under the squeeze bound 0.9669, accepted without the log test.
    expect(gammaDraw(scripted([1], [0.9]), 2)).toBeCloseTo(3.3196832143, 9);
  });

  it('boosts a shape under 1 by U^(1/shape), drawing the uniform after the Gamma(shape + 1)', () => {
    // Shape ½: Gamma(1.5) with x = 0, u = ½ gives d = 1.5 − 1/3 = 7/6; times 0.25^(1/½) = 1/16.
    expect(gammaDraw(scripted([0], [0.5, 0.25]), 0.5)).toBeCloseTo(7 / 96, 15);
  });

  it('Dirichlet shares are the Gamma draws over their sum, in order', () => {
    // Every draw at x = 0, u = ½ returns d = shape − 1/3: 5/3, 8/3, 11/3, sum 8.
    const shares = dirichletDraw(scripted([0, 0, 0], [0.5, 0.5, 0.5]), [2, 3, 4]);
    expect(shares[0]).toBeCloseTo(5 / 24, 15);
    expect(shares[1]).toBeCloseTo(8 / 24, 15);
    expect(shares[2]).toBeCloseTo(11 / 24, 15);
  });
});

describe('simulated answers', () => {
  // Gamma(k, 1) has mean k and variance k. 20,000 draws: the standard error of the mean is
  // √(k / 20,000), under 0.013 for k ≤ 3, so ±0.06 is more than four standard errors.
  it.each([0.3, 0.5, 1, 3])('Gamma(%s, 1) draws have mean and variance equal to the shape', (k) => {
    const random = seededRandom(20261130);
    const draws = Array.from({ length: 20_000 }, () => gammaDraw(random, k));
    expect(Math.min(...draws)).toBeGreaterThan(0);
    expect(Math.abs(mean(draws) - k)).toBeLessThan(0.06);
    expect(Math.abs(variance(draws) / k - 1)).toBeLessThan(0.1);
  });

  it('Dirichlet shares sum to one and average alpha / sum(alpha)', () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 5_000 }, () => dirichletDraw(random, [6, 3, 1]));
    for (const d of draws) expect(d[0] + d[1] + d[2]).toBeCloseTo(1, 12);
    expect(Math.abs(mean(draws.map((d) => d[0])) - 0.6)).toBeLessThan(0.01);
    expect(Math.abs(mean(draws.map((d) => d[1])) - 0.3)).toBeLessThan(0.01);
    expect(Math.abs(mean(draws.map((d) => d[2])) - 0.1)).toBeLessThan(0.01);
  });

  it('counts a detractor only in [p, p + d), with unequal shares', () => {
    // Shares (½, 0.3, 0.2): promoters [0, ½), detractors [½, 0.7), passives [0.7, 1).
    const draws = [0.1, 0.55, 0.65, 0.8];
    let i = 0;
    const fixed: Random = { next: () => draws[i++] ?? 0, normal: () => 0, int: () => 0 };
    expect(sampleCounts(fixed, draws.length, [0.5, 0.3, 0.2])).toEqual({
      promoters: 1,
      passives: 1,
      detractors: 2,
    });
  });

  it('a uniform draw u is a promoter below p, a detractor below p + d, else a passive', () => {
    // Shares (promoter, passive, detractor) = (½, ¼, ¼): promoters [0, ½), detractors [½, ¾).
    const draws = [0, 0.4999, 0.5, 0.7499, 0.75, 0.9999];
    let i = 0;
    const fixed: Random = { next: () => draws[i++] ?? 0, normal: () => 0, int: () => 0 };
    expect(sampleCounts(fixed, draws.length, [0.5, 0.25, 0.25])).toEqual({
      promoters: 2,
      passives: 2,
      detractors: 2,
    });
  });
});
