import { describe, expect, it } from 'vitest';
import {
  FALLBACK_PRECISION,
  MAX_PRECISION,
  fitDirichletPrior,
  posteriorNps,
  priorPrecision,
  shrinkGroups,
  shrunkNps,
} from './empirical-bayes.ts';
import { dirichletDraw, sampleCounts } from './simulate.ts';
import { seededRandom } from './seeded-random.ts';

const c = (promoters: number, passives: number, detractors: number) => ({
  promoters,
  passives,
  detractors,
});

describe('shrunk NPS of one group', () => {
  it('matches a worked example: 6/2/2 under a prior of 5/3/2', () => {
    // a_P = 11, a_D = 4, A′ = 20 → mean = 7/20 = 35 points
    // var = (11·9 + 4·16 + 2·11·4) / (20²·21) = 251/8400 = 0.02988095, sd = 0.17286108
    const p = posteriorNps(c(6, 2, 2), c(5, 3, 2));
    expect(p.mean).toBeCloseTo(35, 10);
    expect(p.sd).toBeCloseTo(17.286107827, 8);
    expect(p.ownWeight).toBeCloseTo(0.5, 12);
    const s = shrunkNps(c(6, 2, 2), c(5, 3, 2));
    expect(s.low).toBeCloseTo(35 - 1.959963984540054 * 17.286107827, 7);
    expect(s.high).toBeCloseTo(35 + 1.959963984540054 * 17.286107827, 7);
  });

  it('sits between the raw NPS and the organisation, closer to the raw with more answers', () => {
    const prior = c(5, 3, 2); // organisation NPS 30
    const few = shrunkNps(c(3, 0, 0), prior); // raw 100
    const many = shrunkNps(c(300, 0, 0), prior);
    expect(few.estimate).toBeGreaterThan(30);
    expect(few.estimate).toBeLessThan(100);
    expect(many.estimate).toBeGreaterThan(few.estimate);
    expect(many.estimate).toBeLessThan(100);
    expect(many.high - many.low).toBeLessThan(few.high - few.low);
  });

  it('is the organisation with its prior interval for a group without answers', () => {
    const s = shrunkNps(c(0, 0, 0), c(5, 3, 2));
    expect(s.estimate).toBeCloseTo(30, 10);
    expect(s.ownWeight).toBe(0);
  });
});

describe('fitting the prior from the groups (empirical Bayes)', () => {
  it('centres the prior on the pooled shares', () => {
    const prior = fitDirichletPrior([c(10, 5, 5), c(30, 10, 0), c(20, 15, 5), c(0, 0, 0)]);
    const A = priorPrecision(prior);
    expect(prior.promoters / A).toBeCloseTo(60 / 100, 10);
    expect(prior.passives / A).toBeCloseTo(30 / 100, 10);
    expect(prior.detractors / A).toBeCloseTo(10 / 100, 10);
  });

  it('pools completely when the groups are identical', () => {
    const prior = fitDirichletPrior([c(50, 30, 20), c(50, 30, 20), c(50, 30, 20), c(50, 30, 20)]);
    expect(priorPrecision(prior)).toBeCloseTo(MAX_PRECISION, 0);
  });

  it('hardly pools groups that are worlds apart', () => {
    const prior = fitDirichletPrior([c(100, 0, 0), c(0, 100, 0), c(0, 0, 100), c(100, 0, 0)]);
    expect(priorPrecision(prior)).toBeLessThan(1);
  });

  it('falls back to three answers’ worth with fewer than three groups', () => {
    const prior = fitDirichletPrior([c(8, 1, 1), c(0, 0, 0), c(2, 3, 5)]);
    expect(priorPrecision(prior)).toBeCloseTo(FALLBACK_PRECISION, 12);
    expect(prior.promoters).toBeCloseTo(3 * 0.5, 12);
  });

  it('recovers the spread between simulated groups (true precision 20)', () => {
    const random = seededRandom(7);
    const groups = Array.from({ length: 400 }, () =>
      sampleCounts(random, 80, dirichletDraw(random, [10, 6, 4])),
    );
    const A = priorPrecision(fitDirichletPrior(groups));
    expect(A).toBeGreaterThan(15);
    expect(A).toBeLessThan(27);
  });
});

describe('shrinkage ranks employees better than raw NPS (simulation, seed 2026)', () => {
  it('lowers the mean absolute rank error over 300 simulated organisations of 40 employees', () => {
    const random = seededRandom(2026);
    const rank = (values: number[]) => {
      const order = values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
      const ranks = new Array<number>(values.length);
      order.forEach(([, i], r) => (ranks[i] = r));
      return ranks;
    };
    let rawError = 0;
    let shrunkError = 0;
    let shrunkWins = 0;
    for (let org = 0; org < 300; org++) {
      const truths = Array.from({ length: 40 }, () => dirichletDraw(random, [12, 6, 4]));
      const counts = truths.map((t) => sampleCounts(random, 3 + Math.floor(random.next() * 60), t));
      const trueRanks = rank(truths.map((t) => t[0] - t[2]));
      const raw = counts.map((k) => {
        const n = k.promoters + k.passives + k.detractors;
        return n === 0 ? 0 : (k.promoters - k.detractors) / n;
      });
      const { estimates } = shrinkGroups(counts);
      const rawRanks = rank(raw);
      const shrunkRanks = rank(estimates.map((e) => e.estimate));
      let r = 0;
      let s = 0;
      for (let i = 0; i < 40; i++) {
        r += Math.abs((rawRanks[i] ?? 0) - (trueRanks[i] ?? 0));
        s += Math.abs((shrunkRanks[i] ?? 0) - (trueRanks[i] ?? 0));
      }
      rawError += r / 40;
      shrunkError += s / 40;
      if (s < r) shrunkWins++;
    }
    console.info(
      `mean absolute rank error: raw ${(rawError / 300).toFixed(2)}, shrunk ${(shrunkError / 300).toFixed(2)}; shrunk better in ${shrunkWins}/300 organisations`,
    );
    expect(shrunkError).toBeLessThan(rawError);
    expect(shrunkWins).toBeGreaterThan(150);
  });
});
