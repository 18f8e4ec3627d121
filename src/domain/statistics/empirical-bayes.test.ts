import { describe, expect, it } from 'vitest';
import {
  FALLBACK_PRECISION,
  MAX_PRECISION,
  PRECISION_GRID_POINTS,
  fitDirichletPrior,
  mixedShrunkNps,
  posteriorNps,
  precisionLogLikelihood,
  precisionPosterior,
  priorPrecision,
  shrinkGroups,
  shrunkNps,
  type PriorPosterior,
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
    const first = shrunkNps(c(2, 0, 0), prior);
    expect(first.estimate).toBeCloseTo(40, 6);
    expect(first.ownWeight).toBeCloseTo(0.4, 8);
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

describe('integrating the prior’s precision out (the intervals a breakdown shows)', () => {
  // Six groups of two answers, pooled 4/4/4 (the hand-worked example above): per group the
  // likelihood is (A/3)(A/3 + 1)/(A(A + 1)) = (A + 3)/(9(A + 1)) when both answers agree and
  // (A/3)(A/3)/(A(A + 1)) = A/(9(A + 1)) when they differ.
  const six = [c(2, 0, 0), c(0, 2, 0), c(0, 0, 2), c(1, 1, 0), c(0, 1, 1), c(1, 0, 1)];
  const third: [number, number, number] = [1 / 3, 1 / 3, 1 / 3];
  const logL = (A: number) =>
    3 * Math.log((A + 3) / (9 * (A + 1))) + 3 * Math.log(A / (9 * (A + 1)));

  it('computes the marginal likelihood of a hand-worked example, counting equal groups once each', () => {
    for (const A of [3, 10, 250]) {
      expect(precisionLogLikelihood(six, third, A)).toBeCloseTo(logL(A), 9);
      expect(precisionLogLikelihood([...six, ...six], third, A)).toBeCloseTo(2 * logL(A), 9);
    }
  });

  it('weighs each precision by likelihood, uniform-shrinkage hyperprior and the shares’ cost', () => {
    const { shares, points } = precisionPosterior(six);
    expect(shares).toEqual(third);
    // From the floor of 3 to the cap of 12 answers, evenly in log A.
    expect(points).toHaveLength(PRECISION_GRID_POINTS);
    expect(points[0]?.precision).toBeCloseTo(3, 10);
    expect(points.at(-1)?.precision).toBeCloseTo(12, 8);
    const ratio = Math.log(4) / (PRECISION_GRID_POINTS - 1);
    expect(Math.log((points[1]?.precision ?? 0) / 3)).toBeCloseTo(ratio, 10);
    expect(points.reduce((t, p) => t + p.weight, 0)).toBeCloseTo(1, 12);
    // N₀ = 2 (every group has two answers): weight ∝ L(A)·A·2/(2 + A)²·(2 + A)/(A + 1).
    const density = (A: number) =>
      Math.exp(logL(A)) * ((2 * A) / (2 + A) ** 2) * ((2 + A) / (A + 1));
    for (const j of [1, 80, PRECISION_GRID_POINTS - 1]) {
      const A = points[j]?.precision ?? 0;
      expect((points[j]?.weight ?? 0) / (points[0]?.weight ?? 1)).toBeCloseTo(
        density(A) / density(3),
        10,
      );
      // v = ⅔, so the pooled NPS varies by ⅔·12(2 + A)/((A + 1)·144) = (2 + A)/(18(A + 1)).
      expect(points[j]?.meanVariance).toBeCloseTo((2 + A) / (18 * (A + 1)), 12);
    }
    expect(points[0]?.meanVariance).toBeCloseTo(5 / 72, 12);
  });

  it('counts the pooled NPS’s uncertainty from unequal shares, and stays finite for 500 groups', () => {
    // Pooled 9/3/6 of 18: m = (½, ⅙, ⅓), v = ½ + ⅓ − (⅙)², and at A = 3 the pooled NPS varies
    // by v·18·(6 + 3)/(4·18²) = v/8.
    const { points } = precisionPosterior([c(4, 1, 1), c(2, 2, 2), c(3, 0, 3)]);
    expect(points[0]?.meanVariance).toBeCloseTo((0.5 + 1 / 3 - 1 / 36) / 8, 12);
    // Log-likelihoods thousands apart over the grid: the weights are still probabilities.
    const many = precisionPosterior(Array.from({ length: 500 }, () => c(50, 30, 20)));
    expect(many.points.every((p) => Number.isFinite(p.weight))).toBe(true);
    expect(many.points.reduce((t, p) => t + p.weight, 0)).toBeCloseTo(1, 12);
  });

  it('is the one fallback point when the precision cannot be fitted', () => {
    expect(precisionPosterior([c(8, 1, 1), c(2, 3, 5)]).points).toEqual([
      { precision: FALLBACK_PRECISION, weight: 1, meanVariance: 0 },
    ]);
    // Then a breakdown's intervals are those of the fallback prior.
    const groups = [c(8, 1, 1), c(2, 3, 5)];
    const { prior, estimates } = shrinkGroups(groups, 0.9);
    expect(estimates[1]).toEqual(shrunkNps(c(2, 3, 5), prior, 0.9));
  });

  it('mixes the posteriors of a hand-made two-point precision posterior', () => {
    const posterior: PriorPosterior = {
      shares: [0.5, 0.3, 0.2],
      points: [
        { precision: 10, weight: 0.25, meanVariance: 0 },
        { precision: 20, weight: 0.75, meanVariance: 0.01 },
      ],
    };
    const counts = c(6, 2, 2);
    const a = posteriorNps(counts, c(5, 3, 2)); // 35 ± 17.29, own weight ½
    const b = posteriorNps(counts, c(10, 6, 4)); // own weight ⅓: borrows ⅔ of the pooled sd 10
    expect(b.ownWeight).toBeCloseTo(1 / 3, 12);
    const mean = 0.25 * a.mean + 0.75 * b.mean;
    const second =
      0.25 * (a.sd ** 2 + a.mean ** 2) + 0.75 * (b.sd ** 2 + ((200 / 3) * 0.1) ** 2 + b.mean ** 2);
    const sd = Math.sqrt(second - mean ** 2);
    const s = mixedShrunkNps(counts, posterior, 0.8);
    expect(s.estimate).toBeCloseTo(mean, 10);
    expect(s.low).toBeCloseTo(mean - 1.2815515655446004 * sd, 8);
    expect(s.high).toBeCloseTo(mean + 1.2815515655446004 * sd, 8);
    expect(s.level).toBe(0.8);
    expect(s.ownWeight).toBeCloseTo(0.25 * 0.5 + 0.75 * (1 / 3), 12);
    // One point without uncertainty in the pooled shares: the plug-in interval.
    const one: PriorPosterior = {
      shares: [0.5, 0.3, 0.2],
      points: [{ precision: 10, weight: 1, meanVariance: 0 }],
    };
    const plugIn = shrunkNps(counts, c(5, 3, 2));
    expect(mixedShrunkNps(counts, one).low).toBeCloseTo(plugIn.low, 10);
    expect(mixedShrunkNps(counts, one).high).toBeCloseTo(plugIn.high, 10);
  });

  it('keeps the interval within −100..100', () => {
    const point = { precision: 3, weight: 1, meanVariance: 0.05 };
    const top = mixedShrunkNps(c(1, 0, 0), { shares: [0.98, 0.01, 0.01], points: [point] });
    expect(top.high).toBe(100);
    expect(top.low).toBeGreaterThan(-100);
    const bottom = mixedShrunkNps(c(0, 0, 1), { shares: [0.01, 0.01, 0.98], points: [point] });
    expect(bottom.low).toBe(-100);
    expect(bottom.high).toBeLessThan(100);
  });

  it('does not trust a fit that stops at its cap: identical groups keep a wider interval', () => {
    // Four identical groups: the likelihood rises all the way to the cap of 400 answers, yet
    // 400 answers cannot tell a spread of a few points from none.
    const groups = [c(50, 30, 20), c(50, 30, 20), c(50, 30, 20), c(50, 30, 20)];
    const { prior, estimates } = shrinkGroups(groups);
    expect(priorPrecision(prior)).toBeCloseTo(400, 6);
    const plugIn = shrunkNps(c(50, 30, 20), prior);
    const mixed = estimates[0];
    expect(mixed?.estimate).toBeCloseTo(30, 8);
    expect((mixed?.high ?? 0) - (mixed?.low ?? 0)).toBeGreaterThan(
      1.3 * (plugIn.high - plugIn.low),
    );
    expect(mixed?.ownWeight).toBeGreaterThan(plugIn.ownWeight);
    expect(shrinkGroups(groups, 0.8).estimates[0]?.level).toBe(0.8);
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
