import { describe, it, expect } from 'vitest';
import {
  categorise,
  computeNps,
  countsFromDistribution,
  isValidScore,
  npsInterval,
  scoreDistribution,
  tallyScores,
} from './nps.ts';

const Z95 = 1.959963984540054;

describe('score validation', () => {
  it('accepts every integer from 0 to 10', () => {
    for (let s = 0; s <= 10; s++) expect(isValidScore(s)).toBe(true);
  });

  it('rejects fractions, out-of-range numbers and non-numbers', () => {
    for (const x of [
      -1,
      11,
      6.5,
      9.0001,
      Number.NaN,
      Infinity,
      -0.5,
      '9',
      null,
      undefined,
      {},
      [9],
    ]) {
      expect(isValidScore(x)).toBe(false);
    }
  });

  it('narrows unknown input to a number', () => {
    const input: unknown = 7;
    // Both assertions must run: a guard that answered false would skip the second silently.
    expect.assertions(2);
    expect(isValidScore(input)).toBe(true);
    if (isValidScore(input)) {
      const n: number = input;
      expect(n).toBe(7);
    }
  });
});

describe('NPS categories', () => {
  it('calls 9 and 10 promoters', () => {
    expect(categorise(9)).toBe('promoter');
    expect(categorise(10)).toBe('promoter');
  });

  it('calls 7 and 8 passives', () => {
    expect(categorise(7)).toBe('passive');
    expect(categorise(8)).toBe('passive');
  });

  it('calls 0 to 6 detractors, including the borderline 6', () => {
    for (let s = 0; s <= 6; s++) expect(categorise(s)).toBe('detractor');
  });

  it('refuses to guess for 6.5, 11, −1 or NaN', () => {
    for (const s of [6.5, 8.9, 11, -1, Number.NaN]) {
      expect(() => categorise(s)).toThrow(
        new RangeError(`categorise: score must be an integer from 0 to 10, got ${String(s)}`),
      );
    }
  });
});

describe('computing the NPS', () => {
  it('is % promoters minus % detractors, unrounded', () => {
    const result = computeNps({ promoters: 1, passives: 1, detractors: 1 });
    expect(result.total).toBe(3);
    expect(result.nps).toBe(0);
    const twoThirds = computeNps({ promoters: 2, passives: 1, detractors: 0 });
    expect(twoThirds.nps).toBeCloseTo(66.6667, 4);
    expect(twoThirds.nps).not.toBe(67);
  });

  it('reports shares as proportions that add up to one', () => {
    const result = computeNps({ promoters: 50, passives: 30, detractors: 20 });
    expect(result.nps).toBe(30);
    expect(result.promoterShare).toBe(0.5);
    expect(result.passiveShare).toBe(0.3);
    expect(result.detractorShare).toBe(0.2);
    expect(result.promoters).toBe(50);
    expect(result.passives).toBe(30);
    expect(result.detractors).toBe(20);
  });

  it('reaches +100 with only promoters and −100 with only detractors', () => {
    expect(computeNps({ promoters: 7, passives: 0, detractors: 0 }).nps).toBe(100);
    expect(computeNps({ promoters: 0, passives: 0, detractors: 7 }).nps).toBe(-100);
  });

  it('scores only passives as 0, not as missing', () => {
    const result = computeNps({ promoters: 0, passives: 4, detractors: 0 });
    expect(result.nps).toBe(0);
    expect(result.interval).not.toBeNull();
  });

  it('has no score and no interval without responses', () => {
    const result = computeNps({ promoters: 0, passives: 0, detractors: 0 });
    expect(result).toEqual({
      total: 0,
      promoters: 0,
      passives: 0,
      detractors: 0,
      nps: null,
      promoterShare: null,
      passiveShare: null,
      detractorShare: null,
      interval: null,
    });
  });

  it('rejects negative, fractional and non-finite counts', () => {
    expect(() => computeNps({ promoters: -1, passives: 0, detractors: 0 })).toThrow(
      new RangeError('promoters must be a non-negative integer, got -1'),
    );
    expect(() => computeNps({ promoters: 0, passives: 1.5, detractors: 0 })).toThrow(
      new RangeError('passives must be a non-negative integer, got 1.5'),
    );
    expect(() => computeNps({ promoters: 0, passives: 0, detractors: Number.NaN })).toThrow(
      new RangeError('detractors must be a non-negative integer, got NaN'),
    );
  });

  it('rejects a confidence level given as a percentage', () => {
    expect(() => computeNps({ promoters: 1, passives: 0, detractors: 0 }, { level: 95 })).toThrow(
      RangeError,
    );
  });
});

describe('NPS confidence interval (adjusted Wald)', () => {
  it('matches a worked example: 50 promoters, 30 passives, 20 detractors', () => {
    // n = 100 → n' = 103
    // p'P = (50 + 0.75) / 103 = 0.49271845
    // p'D = (20 + 0.75) / 103 = 0.20145631
    // NPS' = 0.49271845 − 0.20145631 = 0.29126214 (= 30/103)
    // var = 0.49271845 + 0.20145631 − 0.29126214² = 0.69417476 − 0.08483363 = 0.60934113
    // se = √(0.60934113 / 103) = √0.00591593 = 0.07691510
    // z·se = 1.95996398 × 0.07691510 = 0.15075083
    // interval = 100 × (0.29126214 ± 0.15075083) = [14.0511, 44.2013]
    const { nps, interval } = computeNps({ promoters: 50, passives: 30, detractors: 20 });
    expect(nps).toBe(30);
    expect(interval?.low).toBeCloseTo(14.05113, 5);
    expect(interval?.high).toBeCloseTo(44.201297, 5);
    expect(interval?.level).toBe(0.95);
  });

  it('matches a worked example with one single promoter', () => {
    // n' = 1 + 3 = 4, p'P = 1.75/4 = 0.4375, p'D = 0.75/4 = 0.1875, NPS' = 0.25
    // var = 0.4375 + 0.1875 − 0.25² = 0.5625, se = √(0.5625 / 4) = 0.375
    // interval = 100 × (0.25 ± 1.959964 × 0.375) = 25 ± 73.4986 = [−48.4986, 98.4986]
    const { nps, interval } = computeNps({ promoters: 1, passives: 0, detractors: 0 });
    expect(nps).toBe(100);
    expect(interval?.low).toBeCloseTo(25 - 100 * Z95 * 0.375, 10);
    expect(interval?.high).toBeCloseTo(25 + 100 * Z95 * 0.375, 10);
  });

  it('is centred on the adjusted NPS, not on the observed one', () => {
    // One promoter: observed NPS 100, but the interval's centre is NPS' = 25.
    const interval = npsInterval({ promoters: 1, passives: 0, detractors: 0 });
    expect(((interval?.low ?? 0) + (interval?.high ?? 0)) / 2).toBeCloseTo(25, 10);
  });

  it('clips at +100 when all ten answers are promoters, keeping a real lower bound', () => {
    // n' = 13, p'P = 10.75/13 = 0.82692308, p'D = 0.75/13 = 0.05769231, NPS' = 10/13 = 0.76923077
    // var = 0.88461538 − 0.59171598 = 0.29289941, se = √(0.29289941/13) = 0.15010238
    // 100 × (0.76923077 ± 0.29419525) = [47.5036, 106.3426] → high clipped to 100
    const interval = npsInterval({ promoters: 10, passives: 0, detractors: 0 });
    expect(interval?.low).toBeCloseTo(47.503552, 5);
    expect(interval?.high).toBe(100);
  });

  it('clips at −100 symmetrically when all ten answers are detractors', () => {
    const interval = npsInterval({ promoters: 0, passives: 0, detractors: 10 });
    expect(interval?.low).toBe(-100);
    expect(interval?.high).toBeCloseTo(-47.503552, 5);
  });

  it('is symmetric around zero when promoters equal detractors', () => {
    // n' = 13, p'P = p'D = 3.75/13, NPS' = 0, var = 7.5/13, se = √(7.5/169) = 0.21066252
    const interval = npsInterval({ promoters: 3, passives: 4, detractors: 3 });
    expect(interval?.low).toBeCloseTo(-41.289096, 5);
    expect(interval?.high).toBeCloseTo(41.289096, 5);
  });

  it('narrows with more responses at the same mix', () => {
    const small = npsInterval({ promoters: 5, passives: 3, detractors: 2 });
    const large = npsInterval({ promoters: 500, passives: 300, detractors: 200 });
    const width = (i: typeof small): number => (i ? i.high - i.low : NaN);
    expect(width(large)).toBeLessThan(width(small) / 5);
  });

  it('widens at 99% and narrows at 90% confidence', () => {
    const counts = { promoters: 50, passives: 30, detractors: 20 };
    const at90 = npsInterval(counts, 0.9);
    const at95 = npsInterval(counts, 0.95);
    const at99 = npsInterval(counts, 0.99);
    const width = (i: typeof at90): number => (i ? i.high - i.low : NaN);
    expect(width(at90)).toBeLessThan(width(at95));
    expect(width(at95)).toBeLessThan(width(at99));
    expect(at99?.level).toBe(0.99);
    expect(computeNps(counts, { level: 0.9 }).interval).toEqual(at90);
  });

  it('always stays within [−100, 100] and contains the adjusted NPS', () => {
    for (let p = 0; p <= 12; p++) {
      for (let q = 0; q <= 12; q++) {
        for (let d = 0; d <= 12; d++) {
          const interval = npsInterval({ promoters: p, passives: q, detractors: d });
          if (p + q + d === 0) {
            expect(interval).toBeNull();
            continue;
          }
          const adjusted = (100 * (p - d)) / (p + q + d + 3);
          expect(interval?.low).toBeGreaterThanOrEqual(-100);
          expect(interval?.high).toBeLessThanOrEqual(100);
          expect(interval?.low).toBeLessThanOrEqual(adjusted);
          expect(interval?.high).toBeGreaterThanOrEqual(adjusted);
        }
      }
    }
  });
});

describe('score distribution', () => {
  it('counts each answer from 0 to 10', () => {
    expect(scoreDistribution([10, 10, 9, 0, 6, 7])).toEqual([1, 0, 0, 0, 0, 0, 1, 1, 0, 1, 2]);
  });

  it('is eleven zeros for no answers', () => {
    expect(scoreDistribution([])).toEqual(new Array<number>(11).fill(0));
  });

  it('rejects an invalid answer anywhere in the list', () => {
    expect(() => scoreDistribution([9, 10, 11])).toThrow(
      new RangeError('scoreDistribution: invalid score 11'),
    );
  });

  it('turns a histogram into category counts', () => {
    expect(countsFromDistribution([1, 0, 0, 0, 0, 0, 2, 3, 4, 5, 6])).toEqual({
      detractors: 3,
      passives: 7,
      promoters: 11,
    });
  });

  it('rejects a histogram of the wrong length or with bad counts', () => {
    expect(() => countsFromDistribution([1, 2, 3])).toThrow(
      new RangeError('countsFromDistribution: expected 11 counts, got 3'),
    );
    expect(() => countsFromDistribution(new Array<number>(11).fill(0.5))).toThrow(
      new RangeError('count of score 0 must be a non-negative integer, got 0.5'),
    );
    expect(() => countsFromDistribution([...new Array<number>(10).fill(0), -1])).toThrow(
      new RangeError('count of score 10 must be a non-negative integer, got -1'),
    );
  });

  it('tallies raw scores into the counts that computeNps takes', () => {
    const counts = tallyScores([10, 9, 9, 8, 7, 6, 0]);
    expect(counts).toEqual({ promoters: 3, passives: 2, detractors: 2 });
    expect(computeNps(counts).nps).toBeCloseTo((100 * (3 - 2)) / 7, 12);
  });
});
