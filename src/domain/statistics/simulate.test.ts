import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from './seeded-random.ts';
import { dirichletDraw, gammaDraw, sampleCounts } from './simulate.ts';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

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
