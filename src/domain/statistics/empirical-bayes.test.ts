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
import type { NpsCounts } from '../scoring/nps.ts';
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

  it('fits the precision of a hand-worked example: A = 3', () => {
    // Six groups of two answers, pooled 4/4/4, so m = (⅓, ⅓, ⅓). With two answers the digamma
    // differences telescope (ψ(x + 2) − ψ(x) = 1/x + 1/(x + 1)), and a group's term in dL/dA is
    //   both answers alike: m_k/(A·m_k + 1) − 1/(A + 1) = 1/(A + 3) − 1/(A + 1) = −2/((A + 1)(A + 3))
    //   one each of two:    m_j/(A·m_j) + m_k/(A·m_k) − 1/A − 1/(A + 1) = 1/(A(A + 1)).
    // Three of each: 3/(A(A + 1)) = 6/((A + 1)(A + 3)) ⇔ A + 3 = 2A ⇔ A = 3, so the prior is 1/1/1
    // (the chance that two answers of a group agree, Σ m_k(A·m_k + 1)/(A + 1) = ½, as observed).
    const groups = [c(2, 0, 0), c(0, 2, 0), c(0, 0, 2), c(1, 1, 0), c(0, 1, 1), c(1, 0, 1)];
    const prior = fitDirichletPrior(groups);
    expect(priorPrecision(prior)).toBeCloseTo(3, 8);
    expect(prior.promoters).toBeCloseTo(1, 8);
    expect(prior.passives).toBeCloseTo(1, 8);
    expect(prior.detractors).toBeCloseTo(1, 8);
    // The first group then has the posterior 3/1/1: NPS (3 − 1)/5 = 40, own weight 2/5.
    const { estimates } = shrinkGroups(groups);
    expect(estimates[0]?.estimate).toBeCloseTo(40, 6);
    expect(estimates[0]?.ownWeight).toBeCloseTo(0.4, 8);
  });

  it('keeps a share for a category nobody chose, and fits with exactly three groups', () => {
    // No detractors anywhere: the detractor share is its pseudo-answer's, 1 in 33.
    const prior = fitDirichletPrior([c(6, 4, 0), c(8, 2, 0), c(4, 6, 0)]);
    const A = priorPrecision(prior);
    expect(A).not.toBeCloseTo(FALLBACK_PRECISION, 3);
    expect(prior.promoters / A).toBeCloseTo(19 / 33, 10);
    expect(prior.passives / A).toBeCloseTo(13 / 33, 10);
    expect(prior.detractors / A).toBeCloseTo(1 / 33, 10);
  });

  it('is no surer of a group than the organisation is of itself', () => {
    // Sixteen answers in groups that look alike: the prior is worth at most the fifteen answers
    // of the groups that inform it (not a million), so a group of one keeps a wide interval.
    const groups = [c(1, 0, 0), c(3, 1, 1), c(3, 1, 1), c(3, 1, 1)];
    const { prior, estimates } = shrinkGroups(groups);
    expect(priorPrecision(prior)).toBeCloseTo(15, 8);
    const one = estimates[0];
    expect((one?.high ?? 0) - (one?.low ?? 0)).toBeGreaterThan(40);
    // Only promoters so far (a young programme): six tens are no proof of +100 for the one
    // with a single answer. Pure groups fit the smallest precision, three answers' worth of
    // m = 7/1/1 ninths: the posterior 3⅓ / ⅓ / ⅓ gives (3⅓ − ⅓)/4 = 75 points,
    // sd = √((10/3·2/3 + 1/3·11/3 + 2·10/3·1/3) / (16·5)) = √(17/240) = 26.6 points.
    const young = shrinkGroups([c(1, 0, 0), c(2, 0, 0), c(3, 0, 0)]);
    expect(priorPrecision(young.prior)).toBeCloseTo(3, 8);
    expect(young.estimates[0]?.estimate).toBeCloseTo(75, 8);
    expect(young.estimates[0]?.low).toBeCloseTo(
      75 - 1.959963984540054 * 100 * Math.sqrt(17 / 240),
      8,
    );
  });

  it('falls back to three answers’ worth when no group has two answers to compare', () => {
    // A single answer is as likely under any precision: the spread cannot be fitted.
    const prior = fitDirichletPrior([c(1, 0, 0), c(1, 0, 0), c(0, 0, 1)]);
    expect(priorPrecision(prior)).toBeCloseTo(FALLBACK_PRECISION, 12);
    expect(prior.promoters).toBeCloseTo((3 * 3) / 6, 12);
    // Twelve people with one answer each: still three answers' worth, not twelve.
    const ones = [...Array<NpsCounts>(8).fill(c(1, 0, 0)), ...Array<NpsCounts>(4).fill(c(0, 1, 0))];
    expect(priorPrecision(fitDirichletPrior(ones))).toBeCloseTo(FALLBACK_PRECISION, 12);
    // Nor does one pair among 500 people with one answer set the strength for all of them: two
    // groups that inform the spread are too few, as three groups are with fewer than three.
    const singles = Array.from({ length: 500 }, (_, i) => (i % 2 ? c(1, 0, 0) : c(0, 1, 0)));
    const pairs = [c(1, 1, 0), c(0, 1, 1)];
    expect(priorPrecision(fitDirichletPrior([...singles, ...pairs]))).toBeCloseTo(3, 12);
    expect(priorPrecision(fitDirichletPrior([...singles, ...pairs, c(2, 0, 0)]))).not.toBeCloseTo(
      3,
      3,
    );
  });

  it('smooths the pooled shares while a category is empty, from as few as two answers', () => {
    // Pooled 1/0/1 (with the pseudo-answers 2/1/2) and 1/2/1 (every category chosen: as it is),
    // at three answers' worth.
    const a = fitDirichletPrior([c(1, 0, 0), c(0, 0, 1)]);
    expect([a.promoters, a.passives, a.detractors].map((x) => x * 5)).toEqual([
      expect.closeTo(6, 10),
      expect.closeTo(3, 10),
      expect.closeTo(6, 10),
    ]);
    const b = fitDirichletPrior([c(0, 2, 0), c(1, 0, 1)]);
    expect([b.promoters, b.passives, b.detractors].map((x) => x * 4)).toEqual([
      expect.closeTo(3, 10),
      expect.closeTo(6, 10),
      expect.closeTo(3, 10),
    ]);
  });

  it('centres on 50/30/20 at three answers’ worth when nobody has answered yet', () => {
    for (const groups of [[], [c(0, 0, 0), c(0, 0, 0), c(0, 0, 0)]]) {
      const prior = fitDirichletPrior(groups);
      expect(prior.promoters).toBeCloseTo(1.5, 12);
      expect(prior.passives).toBeCloseTo(0.9, 12);
      expect(prior.detractors).toBeCloseTo(0.6, 12);
    }
  });

  it('pools completely when the groups are identical, stopping at the answers they hold', () => {
    const prior = fitDirichletPrior([c(50, 30, 20), c(50, 30, 20), c(50, 30, 20), c(50, 30, 20)]);
    expect(priorPrecision(prior)).toBeCloseTo(400, 6);
    expect(MAX_PRECISION).toBeGreaterThan(400);
  });

  it('hardly pools groups that are worlds apart, stopping at the floor of three answers', () => {
    const prior = fitDirichletPrior([c(100, 0, 0), c(0, 100, 0), c(0, 0, 100), c(100, 0, 0)]);
    expect(priorPrecision(prior)).toBeCloseTo(3, 12);
    // Only promoters and detractors: the passive share is its pseudo-answer's.
    const twoCamps = fitDirichletPrior([c(10, 0, 0), c(0, 0, 10), c(10, 0, 0)]);
    expect(priorPrecision(twoCamps)).toBeCloseTo(3, 12);
    expect(twoCamps.promoters / 3).toBeCloseTo(21 / 33, 10);
    expect(twoCamps.passives / 3).toBeCloseTo(1 / 33, 10);
    // A group of a hundred hardly borrows: 3 of 103 answers' worth.
    expect(shrunkNps(c(100, 0, 0), prior).ownWeight).toBeCloseTo(100 / 103, 12);
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
