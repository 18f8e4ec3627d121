import { describe, it, expect } from 'vitest';
import { compareAuc, deLongAuc, type MarkedObservation } from './auc.ts';
import { seededRandom } from './seeded-random.ts';

/** Hanley & McNeil (1982), table 1: five-point ratings of CT images by a radiologist. */
const HANLEY_MCNEIL: MarkedObservation[] = [
  ...[33, 6, 6, 11, 2].map((weight, i) => ({ markers: [i + 1], positive: false, weight })),
  ...[3, 2, 2, 11, 33].map((weight, i) => ({ markers: [i + 1], positive: true, weight })),
];

const rows = (pairs: number[][], positive: boolean): MarkedObservation[] =>
  pairs.map((markers) => ({ markers, positive, weight: 1 }));

describe('AUC with DeLong variance', () => {
  it('reproduces the Hanley–McNeil area and an independent DeLong computation', () => {
    // Published area 0.893 (Hanley–McNeil SE 0.032). DeLong by brute force in numpy (every
    // positive against every negative): 0.89317106, SE 0.03072441, logit interval
    // [0.81644346, 0.94017619].
    const result = deLongAuc(HANLEY_MCNEIL);
    const auc = result?.aucs[0];
    expect(result?.positives).toBe(51);
    expect(result?.negatives).toBe(58);
    expect(auc?.estimate).toBeCloseTo(0.89317106, 8);
    expect(auc?.stdErr).toBeCloseTo(0.03072441, 8);
    expect(auc?.low).toBeCloseTo(0.81644346, 7);
    expect(auc?.high).toBeCloseTo(0.94017619, 7);
  });

  it('counts ties as one half (Mann–Whitney)', () => {
    // Positives 2, 3; negatives 1, 2: pairs (2>1)=1, (2=2)=½, (3>1)=1, (3>2)=1 → 3.5 / 4.
    const result = deLongAuc([...rows([[2], [3]], true), ...rows([[1], [2]], false)]);
    expect(result?.aucs[0]?.estimate).toBe(0.875);
  });

  it('treats a weight as that many identical customers', () => {
    const weighted = deLongAuc([
      { markers: [3], positive: true, weight: 3 },
      { markers: [1], positive: true, weight: 1 },
      { markers: [2], positive: false, weight: 2 },
    ]);
    const spelled = deLongAuc([...rows([[3], [3], [3], [1]], true), ...rows([[2], [2]], false)]);
    expect(weighted).toEqual(spelled);
  });

  it('compares two markers on the same customers (paired DeLong, checked in numpy)', () => {
    const result = deLongAuc([
      ...rows(
        [
          [9, 3],
          [10, 5],
          [7, 2],
          [8, 4],
          [10, 1],
          [6, 3],
        ],
        true,
      ),
      ...rows(
        [
          [5, 2],
          [8, 1],
          [7, 3],
          [3, 0],
          [9, 2],
          [6, 1],
          [4, 4],
        ],
        false,
      ),
    ]);
    if (!result) throw new Error('no result');
    expect(result.aucs[0]?.estimate).toBeCloseTo(0.80952381, 8);
    expect(result.aucs[1]?.estimate).toBeCloseTo(0.72619048, 8);
    expect(result.covariance[0]?.[0]).toBeCloseTo(0.0148715041572, 12);
    expect(result.covariance[0]?.[1]).toBeCloseTo(-0.00198885109599, 12);
    expect(result.covariance[1]?.[1]).toBeCloseTo(0.0215230536659, 12);
    const difference = compareAuc(result, 0, 1);
    expect(difference.estimate).toBeCloseTo(0.08333333, 8);
    expect(difference.stdErr).toBeCloseTo(0.20092849, 7);
    expect(difference.p).toBeCloseTo(0.67833134, 5);
  });

  it('has no AUC without both outcomes, or with a single customer on one side', () => {
    expect(deLongAuc(rows([[1], [2]], true))).toBeNull();
    expect(deLongAuc([...rows([[1], [2]], true), ...rows([[1]], false)])).toBeNull();
    expect(deLongAuc([])).toBeNull();
  });

  it('refuses ragged markers and negative weights', () => {
    expect(() => deLongAuc([...rows([[1]], true), ...rows([[1, 2]], false)])).toThrow(RangeError);
    expect(() => deLongAuc([{ markers: [1], positive: true, weight: -1 }])).toThrow(RangeError);
  });

  it('keeps the interval of a perfect marker inside [0, 1]', () => {
    const result = deLongAuc([...rows([[5], [6], [7]], true), ...rows([[1], [2], [3]], false)]);
    expect(result?.aucs[0]).toMatchObject({ estimate: 1, low: 1, high: 1 });
  });

  it('gives the hand-worked DeLong variance and logit interval of a four-customer example', () => {
    // Positives 2, 3; negatives 1, 2. Placements: positive 2 beats ½ + ½·½ = 0.75 of the
    // negatives, positive 3 beats 1; negative 1 is beaten by 1, negative 2 by ½ + ½·½ = 0.75.
    // S10 = S01 = ((0.75 − 0.875)² + (1 − 0.875)²) / (2 − 1) = 1/32; var = S10/2 + S01/2 = 1/32.
    // Logit interval: ln 7 ∓ z·√(1/32) / (0.875 · 0.125), mapped back.
    const observations = [...rows([[2], [3]], true), ...rows([[1], [2]], false)];
    const result = deLongAuc(observations);
    expect(result?.level).toBe(0.95);
    expect(result?.covariance).toEqual([[1 / 32]]);
    expect(result?.aucs[0]?.stdErr).toBeCloseTo(0.1767766953, 10);
    expect(result?.aucs[0]?.low).toBeCloseTo(0.2276075291, 9); // z = 1.959964
    expect(result?.aucs[0]?.high).toBeCloseTo(0.9940221013, 9);
    const narrower = deLongAuc(observations, { level: 0.9 });
    expect(narrower?.level).toBe(0.9);
    expect(narrower?.aucs[0]?.low).toBeCloseTo(0.3290301592, 9); // z = 1.644854
    expect(narrower?.aucs[0]?.high).toBeCloseTo(0.9900914086, 9);
    // A customer of weight 0 is no customer.
    const withNobody = deLongAuc([...observations, { markers: [9], positive: false, weight: 0 }]);
    expect(withNobody).toEqual(result);
  });

  it('has no AUC with a single positive customer, or without markers', () => {
    expect(deLongAuc([...rows([[2]], true), ...rows([[1], [2]], false)])).toBeNull();
    expect(
      deLongAuc([
        { markers: [3], positive: true, weight: 1 },
        { markers: [2], positive: true, weight: 0 },
        ...rows([[1], [2]], false),
      ]),
    ).toBeNull();
    expect(
      deLongAuc([
        { markers: [], positive: true, weight: 2 },
        { markers: [], positive: false, weight: 2 },
      ]),
    ).toBeNull();
  });

  it('names what is wrong: ragged markers, a non-finite marker, a negative or non-finite weight', () => {
    const ok = rows([[1], [2]], false);
    expect(() => deLongAuc([...rows([[1]], true), ...rows([[1, 2]], false)])).toThrow(
      'deLongAuc: every observation needs the same markers',
    );
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => deLongAuc([...ok, { markers: [bad], positive: true, weight: 1 }])).toThrow(
        'deLongAuc: markers must be finite',
      );
      expect(() => deLongAuc([...ok, { markers: [1], positive: true, weight: bad }])).toThrow(
        'deLongAuc: weights must be ≥ 0',
      );
    }
    expect(() => deLongAuc([...ok, { markers: [1], positive: true, weight: -1 }])).toThrow(
      'deLongAuc: weights must be ≥ 0',
    );
  });

  it("reports the interval of the paired difference at the result's level", () => {
    const observations = [
      ...rows(
        [
          [9, 3],
          [10, 5],
          [7, 2],
          [8, 4],
          [10, 1],
          [6, 3],
        ],
        true,
      ),
      ...rows(
        [
          [5, 2],
          [8, 1],
          [7, 3],
          [3, 0],
          [9, 2],
          [6, 1],
          [4, 4],
        ],
        false,
      ),
    ];
    const result = deLongAuc(observations);
    if (!result) throw new Error('no result');
    // 0.08333333 ∓ 1.959964 · 0.20092849.
    const difference = compareAuc(result, 0, 1);
    expect(difference.level).toBe(0.95);
    expect(difference.low).toBeCloseTo(-0.31047927, 7);
    expect(difference.high).toBeCloseTo(0.47714594, 7);
    const at90 = deLongAuc(observations, { level: 0.9 });
    if (!at90) throw new Error('no result');
    // 0.08333333 ∓ 1.644854 · 0.20092849.
    expect(compareAuc(at90, 0, 1)).toMatchObject({ level: 0.9 });
    expect(compareAuc(at90, 0, 1).low).toBeCloseTo(0.08333333 - 1.644854 * 0.20092849, 6);
    expect(compareAuc(at90, 0, 1).high).toBeCloseTo(0.08333333 + 1.644854 * 0.20092849, 6);
    expect(() => compareAuc(result, 2, 0)).toThrow('compareAuc: no such marker');
    expect(() => compareAuc(result, 0, 2)).toThrow('compareAuc: no such marker');
  });

  it('compares without variance: a marker with itself, a perfect marker with one that says nothing', () => {
    // Marker 0 separates perfectly (AUC 1, every placement 1); marker 1 is the same for everyone
    // (AUC ½, every placement ½): neither varies, so the difference ½ has no variance at all.
    const result = deLongAuc([
      ...rows(
        [
          [5, 1],
          [6, 1],
        ],
        true,
      ),
      ...rows(
        [
          [2, 1],
          [1, 1],
        ],
        false,
      ),
    ]);
    if (!result) throw new Error('no result');
    expect(result.aucs[1]).toEqual({ estimate: 0.5, stdErr: 0, low: 0.5, high: 0.5 });
    expect(compareAuc(result, 0, 1)).toEqual({
      estimate: 0.5,
      stdErr: 0,
      low: 0.5,
      high: 0.5,
      p: 0,
      level: 0.95,
    });
    expect(compareAuc(result, 1, 1)).toEqual({
      estimate: 0,
      stdErr: 0,
      low: 0,
      high: 0,
      p: 1,
      level: 0.95,
    });
  });

  it('covers 0.5 about 95 % of the time when the marker says nothing (simulation)', () => {
    // 2,000 simulated businesses of 120 customers; a 0–10 score unrelated to returning (30 %).
    const random = seededRandom(2026);
    const runs = 2000;
    let covered = 0;
    let differenceCovered = 0;
    for (let run = 0; run < runs; run++) {
      const observations: MarkedObservation[] = [];
      for (let i = 0; i < 120; i++) {
        observations.push({
          markers: [random.int(11), random.int(6)],
          positive: random.next() < 0.3,
          weight: 1,
        });
      }
      const result = deLongAuc(observations);
      if (!result) continue;
      const auc = result.aucs[0];
      if ((auc?.low ?? 1) <= 0.5 && 0.5 <= (auc?.high ?? 0)) covered++;
      const difference = compareAuc(result, 0, 1);
      if (difference.low <= 0 && 0 <= difference.high) differenceCovered++;
    }
    // Binomial(2000, 0.95): 0.94–0.96 is ±2 standard deviations; allow a little for DeLong's
    // small-sample behaviour at 36 returners per business.
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.97);
    expect(differenceCovered / runs).toBeGreaterThan(0.93);
    expect(differenceCovered / runs).toBeLessThan(0.97);
  });

  it('detects a real effect in a simulation with a known AUC', () => {
    // Marker ~ N(1, 1) for returners and N(0, 1) for the others: true AUC = Φ(1/√2) = 0.76025.
    const random = seededRandom(7);
    const observations: MarkedObservation[] = [];
    for (let i = 0; i < 4000; i++) {
      const positive = i % 2 === 0;
      observations.push({ markers: [random.normal() + (positive ? 1 : 0)], positive, weight: 1 });
    }
    const auc = deLongAuc(observations)?.aucs[0];
    expect(auc?.low).toBeLessThan(0.76025);
    expect(auc?.high).toBeGreaterThan(0.76025);
    expect(auc?.low).toBeGreaterThan(0.7);
  });
});
