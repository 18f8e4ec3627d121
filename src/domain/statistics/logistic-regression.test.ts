import { describe, it, expect } from 'vitest';
import { fitLogistic, invert, predictLogistic, type BinomialRow } from './logistic-regression.ts';
import { seededRandom } from './seeded-random.ts';

/** Hours studied and passing an exam, the worked example of Wikipedia's "Logistic regression". */
const HOURS = [
  0.5, 0.75, 1, 1.25, 1.5, 1.75, 1.75, 2, 2.25, 2.5, 2.75, 3, 3.25, 3.5, 4, 4.25, 4.5, 4.75, 5, 5.5,
];
const PASSED = [0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1];
const studentRows = (): BinomialRow[] =>
  HOURS.map((h, i) => ({ x: [h], successes: PASSED[i] ?? 0, trials: 1 }));

describe('logistic regression by IRLS', () => {
  it('reproduces the published hours-and-pass coefficients and standard errors', () => {
    // Published: intercept −4.0777 (SE 1.7610), hours 1.5046 (SE 0.6287); numpy's own Newton fit
    // gives −4.07771343 (1.76099431) and 1.50464543 (0.62872085), deviance 16.0598, null 27.7259.
    const fit = fitLogistic(studentRows());
    if (fit.status !== 'ok') throw new Error(fit.status);
    const [b0, b1] = fit.coefficients;
    expect(b0?.estimate).toBeCloseTo(-4.07771343, 6);
    expect(b0?.stdErr).toBeCloseTo(1.76099431, 5);
    expect(b1?.estimate).toBeCloseTo(1.50464543, 6);
    expect(b1?.stdErr).toBeCloseTo(0.62872085, 5);
    expect(fit.deviance).toBeCloseTo(16.05975693, 6);
    expect(fit.nullDeviance).toBeCloseTo(27.72588722, 6);
    // Wald z = 1.5046 / 0.6287 = 2.393 → p = 0.0167 (published 0.017).
    expect(b1?.p).toBeCloseTo(0.0167, 3);
    expect(b1?.low).toBeCloseTo(1.50464543 - 1.959964 * 0.62872085, 5);
    // Published: a student who studies 2 hours passes with probability 0.26, 4 hours with 0.87.
    expect(predictLogistic(fit.coefficients, [2])).toBeCloseTo(0.2557, 3);
    expect(predictLogistic(fit.coefficients, [4])).toBeCloseTo(0.8744, 3);
  });

  it('gives the same fit for grouped counts as for one row per person', () => {
    // Both students at 1.75 hours in one row: 1 of 2 passed.
    const grouped = studentRows().filter((_, i) => i !== 5 && i !== 6);
    grouped.push({ x: [1.75], successes: 1, trials: 2 });
    const a = fitLogistic(studentRows());
    const b = fitLogistic(grouped);
    if (a.status !== 'ok' || b.status !== 'ok') throw new Error('fit failed');
    expect(b.coefficients[1]?.estimate).toBeCloseTo(a.coefficients[1]?.estimate ?? 0, 9);
    expect(b.coefficients[1]?.stdErr).toBeCloseTo(a.coefficients[1]?.stdErr ?? 0, 9);
  });

  it('fits an intercept-only model as the log-odds of the overall rate', () => {
    const fit = fitLogistic([{ x: [], successes: 30, trials: 100 }]);
    if (fit.status !== 'ok') throw new Error(fit.status);
    expect(fit.coefficients[0]?.estimate).toBeCloseTo(Math.log(0.3 / 0.7), 10);
    // SE of a log-odds: √(1/30 + 1/70).
    expect(fit.coefficients[0]?.stdErr).toBeCloseTo(Math.sqrt(1 / 30 + 1 / 70), 10);
  });

  it('says "separated" instead of reporting an infinite effect', () => {
    const fit = fitLogistic([
      { x: [1], successes: 0, trials: 10 },
      { x: [2], successes: 0, trials: 10 },
      { x: [3], successes: 10, trials: 10 },
      { x: [4], successes: 10, trials: 10 },
    ]);
    expect(fit.status).toBe('separated');
  });

  it('says "singular" when a predictor does not vary', () => {
    const fit = fitLogistic([
      { x: [5], successes: 3, trials: 10 },
      { x: [5], successes: 6, trials: 10 },
    ]);
    expect(fit.status).toBe('singular');
  });

  it('says "empty" without trials or with one outcome only', () => {
    expect(fitLogistic([]).status).toBe('empty');
    expect(fitLogistic([{ x: [1], successes: 0, trials: 0 }]).status).toBe('empty');
    expect(fitLogistic([{ x: [1], successes: 4, trials: 4 }]).status).toBe('empty');
  });

  it('refuses impossible counts and ragged rows', () => {
    expect(() => fitLogistic([{ x: [1], successes: 5, trials: 4 }])).toThrow(RangeError);
    expect(() =>
      fitLogistic([
        { x: [1], successes: 1, trials: 4 },
        { x: [1, 2], successes: 1, trials: 4 },
      ]),
    ).toThrow(RangeError);
  });

  it('takes the level for its intervals, and needs seven Newton steps for the students', () => {
    const fit = fitLogistic(studentRows(), { level: 0.9 });
    if (fit.status !== 'ok') throw new Error(fit.status);
    expect(fit.level).toBe(0.9);
    expect(fit.coefficients).toHaveLength(2);
    expect(fit.iterations).toBe(7);
    // 1.50464543 ∓ 1.644854 · 0.62872085; intercept −4.07771343 ∓ 1.644854 · 1.76099431.
    expect(fit.coefficients[1]?.low).toBeCloseTo(1.50464543 - 1.644854 * 0.62872085, 5);
    expect(fit.coefficients[1]?.high).toBeCloseTo(1.50464543 + 1.644854 * 0.62872085, 5);
    expect(fit.coefficients[0]?.low).toBeCloseTo(-4.07771343 - 1.644854 * 1.76099431, 5);
    expect(fit.coefficients[0]?.high).toBeCloseTo(-4.07771343 + 1.644854 * 1.76099431, 5);
    // Wald z of the intercept: −4.07771343 / 1.76099431 = −2.31557; p = 2·Φ(−2.31557) = 0.02058.
    expect(fit.coefficients[0]?.z).toBeCloseTo(-2.3155744, 6);
    expect(fit.coefficients[0]?.p).toBeCloseTo(0.0205815, 6);
    expect(fitLogistic(studentRows())).toMatchObject({ status: 'ok', level: 0.95, iterations: 7 });
  });

  it('starts at the overall log-odds, so an intercept-only fit converges in its second step', () => {
    // Step 1 starts at log(0.3/0.7), the answer: its score is 0, the step changes nothing, and
    // step 2 sees the same deviance. Saturated: deviance 0 = null deviance.
    const fit = fitLogistic([{ x: [], successes: 30, trials: 100 }]);
    if (fit.status !== 'ok') throw new Error(fit.status);
    expect(fit.iterations).toBe(2);
    expect(fit.deviance).toBeCloseTo(0, 10);
    expect(fit.nullDeviance).toBeCloseTo(0, 10);
  });

  it('ignores a row without trials, however extreme its predictors', () => {
    // At 1,000 hours the fitted probability is 1 to machine precision; with no student there, it
    // says nothing about separation.
    const fit = fitLogistic([...studentRows(), { x: [1000], successes: 0, trials: 0 }]);
    if (fit.status !== 'ok') throw new Error(fit.status);
    expect(fit.coefficients[1]?.estimate).toBeCloseTo(1.50464543, 6);
    expect(fit.iterations).toBe(7);
  });

  it('says "separated" when only one side runs off (all failures at 0, half at 1)', () => {
    // Two groups, two coefficients: the fit is saturated with P(x = 0) → 0 and P(x = 1) = ½.
    expect(
      fitLogistic([
        { x: [0], successes: 0, trials: 10 },
        { x: [1], successes: 5, trials: 10 },
      ]).status,
    ).toBe('separated');
    expect(
      fitLogistic([
        { x: [0], successes: 5, trials: 10 },
        { x: [1], successes: 10, trials: 10 },
      ]).status,
    ).toBe('separated');
  });

  it('fits rates of one in 10¹¹: tiny probabilities alone are not separation', () => {
    // Every fitted probability is about 10⁻¹¹, under the 10⁻¹⁰ run-away mark from the first step,
    // but both rows have successes and failures: the answer is finite, an odds ratio of 2.
    const same = fitLogistic([
      { x: [0], successes: 1, trials: 1e11 },
      { x: [1], successes: 1, trials: 1e11 },
    ]);
    expect(same).toMatchObject({ status: 'ok', iterations: 2 });
    const doubled = fitLogistic([
      { x: [0], successes: 1, trials: 1e11 },
      { x: [1], successes: 2, trials: 1e11 },
    ]);
    if (doubled.status !== 'ok') throw new Error(doubled.status);
    expect(doubled.coefficients[1]?.estimate).toBeCloseTo(Math.log(2), 8);
  });

  it('fits a group far out with no successes when the others have both (no separation)', () => {
    // 6/10 at x = 0 and 4/10 at x = 1 pin the line: log-odds ln(6/4) − x·ln(6/4). At x = 100 that
    // gives a probability of about 1e-35, next to 0 of 10 observed. No line puts every success on
    // one side and every failure on the other (x = 0 and x = 1 have both), so the maximum is
    // finite; the old check called it separated for its tiny probability.
    const fit = fitLogistic([
      { x: [0], successes: 6, trials: 10 },
      { x: [1], successes: 4, trials: 10 },
      { x: [100], successes: 0, trials: 10 },
    ]);
    if (fit.status !== 'ok') throw new Error(fit.status);
    expect(fit.coefficients[0]?.estimate).toBeCloseTo(Math.log(6 / 4), 8);
    expect(fit.coefficients[1]?.estimate).toBeCloseTo(-2 * Math.log(6 / 4), 8);
  });

  it('says "empty" when every trial failed', () => {
    expect(
      fitLogistic([
        { x: [1], successes: 0, trials: 4 },
        { x: [2], successes: 0, trials: 3 },
      ]),
    ).toEqual({ status: 'empty', iterations: 0 });
  });

  it('names the impossible count or predictor', () => {
    const one = (row: { x: number[]; successes: number; trials: number }) => () =>
      fitLogistic([row]);
    expect(one({ x: [1], successes: 5, trials: 4 })).toThrow(
      'logistic: successes must be in [0, trials], got 5',
    );
    expect(one({ x: [1], successes: -1, trials: 4 })).toThrow(
      'logistic: successes must be in [0, trials], got -1',
    );
    expect(one({ x: [1], successes: 1.5, trials: 4 })).toThrow(
      'logistic: successes must be in [0, trials], got 1.5',
    );
    expect(one({ x: [1], successes: 0, trials: -1 })).toThrow(
      'logistic: trials must be a non-negative integer, got -1',
    );
    expect(one({ x: [1], successes: 0, trials: 2.5 })).toThrow(
      'logistic: trials must be a non-negative integer, got 2.5',
    );
    expect(one({ x: [Number.NaN], successes: 0, trials: 1 })).toThrow(
      'logistic: predictors must be finite',
    );
    expect(one({ x: [Number.POSITIVE_INFINITY], successes: 0, trials: 1 })).toThrow(
      'logistic: predictors must be finite',
    );
    expect(() =>
      fitLogistic([
        { x: [1], successes: 1, trials: 4 },
        { x: [1, 2], successes: 1, trials: 4 },
      ]),
    ).toThrow('logistic: every row needs 1 predictors, got 2');
    // The boundaries themselves are allowed: 0 of 0, 4 of 4.
    expect(
      fitLogistic([
        { x: [1], successes: 0, trials: 0 },
        { x: [2], successes: 4, trials: 4 },
      ]).status,
    ).toBe('empty');
  });

  it('predicts 0 and 1 far out, without overflow', () => {
    const coefficients = [
      { estimate: 0, stdErr: 1, z: 0, p: 1, low: 0, high: 0 },
      { estimate: 1, stdErr: 1, z: 0, p: 1, low: 0, high: 0 },
    ];
    expect(predictLogistic(coefficients, [1000])).toBe(1);
    expect(predictLogistic(coefficients, [-1000])).toBe(0);
    expect(predictLogistic(coefficients, [0])).toBe(0.5);
    // 1 / (1 + e^−2) = 0.8807970780; e^−2 / (1 + e^−2) = 0.1192029220.
    expect(predictLogistic(coefficients, [2])).toBeCloseTo(0.880797078, 9);
    expect(predictLogistic(coefficients, [-2])).toBeCloseTo(0.119202922, 9);
  });

  it('recovers a known effect from simulated customers, and its interval covers it about 95 % of the time', () => {
    // Truth: logit P(return) = −2 + 0.25·score. 300 customers with a uniform 0–10 score, 400 times.
    const random = seededRandom(11);
    const truth = 0.25;
    let covered = 0;
    let sumEstimates = 0;
    const runs = 400;
    for (let run = 0; run < runs; run++) {
      const counts = Array.from({ length: 11 }, () => ({ successes: 0, trials: 0 }));
      for (let i = 0; i < 300; i++) {
        const score = random.int(11);
        const p = 1 / (1 + Math.exp(-(-2 + truth * score)));
        const cell = counts[score];
        if (!cell) continue;
        cell.trials++;
        if (random.next() < p) cell.successes++;
      }
      const fit = fitLogistic(counts.map((c, score) => ({ x: [score], ...c })));
      if (fit.status !== 'ok') throw new Error(fit.status);
      const slope = fit.coefficients[1];
      sumEstimates += slope?.estimate ?? 0;
      if ((slope?.low ?? 0) <= truth && truth <= (slope?.high ?? 0)) covered++;
    }
    expect(sumEstimates / runs).toBeCloseTo(truth, 1);
    // Binomial(400, 0.95) lies within 0.92–0.98 with probability > 0.99.
    expect(covered / runs).toBeGreaterThan(0.92);
    expect(covered / runs).toBeLessThan(0.98);
  });
});

describe('matrix inverse', () => {
  it('inverts a 3×3 matrix (checked by multiplying back)', () => {
    const m = [
      [4, 1, 2],
      [1, 3, 0],
      [2, 0, 5],
    ];
    const inv = invert(m);
    if (!inv) throw new Error('singular');
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const product = [0, 1, 2].reduce((s, k) => s + (m[i]?.[k] ?? 0) * (inv[k]?.[j] ?? 0), 0);
        expect(product).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });

  it('pivots: a zero on the diagonal is no singularity', () => {
    expect(
      invert([
        [0, 1],
        [1, 0],
      ]),
    ).toEqual([
      [0, 1],
      [1, 0],
    ]);
    // [[0, 2], [4, 1]]⁻¹ = [[−1/8, 1/4], [1/2, 0]].
    const inv = invert([
      [0, 2],
      [4, 1],
    ]);
    expect(inv?.[0]?.[0]).toBeCloseTo(-0.125, 14);
    expect(inv?.[0]?.[1]).toBeCloseTo(0.25, 14);
    expect(inv?.[1]?.[0]).toBeCloseTo(0.5, 14);
    expect(inv?.[1]?.[1]).toBeCloseTo(0, 14);
  });

  it('pivots on the largest entry of the column, not merely a non-zero one', () => {
    // [[1, 1], [1e-17, 1]]: pivoting on 1e-17 would call it singular (1e-17 < 1e-12 of the scale);
    // its inverse is [[1, −1], [−1e-17, 1]] / (1 − 1e-17).
    const inv = invert([
      [1, 1],
      [1e-17, 1],
    ]);
    expect(inv?.[0]?.[0]).toBeCloseTo(1, 14);
    expect(inv?.[0]?.[1]).toBeCloseTo(-1, 14);
    expect(inv?.[1]?.[0]).toBeCloseTo(-1e-17, 14);
    expect(inv?.[1]?.[1]).toBeCloseTo(1, 14);
    // [[2, 0, 1], [1, 1, 0], [0, 1, 1]] (determinant 3): the last row has 0 in the first column.
    const m = invert([
      [2, 0, 1],
      [1, 1, 0],
      [0, 1, 1],
    ]);
    const third = 1 / 3;
    const expected = [
      [third, third, -third],
      [-third, 2 * third, third],
      [third, -2 * third, 2 * third],
    ];
    expect(m).toHaveLength(3);
    expected.forEach((row, i) =>
      row.forEach((value, j) => expect(m?.[i]?.[j]).toBeCloseTo(value, 14)),
    );
  });

  it("judges singularity relative to the matrix's own scale", () => {
    // Tiny but well-conditioned: invertible.
    expect(
      invert([
        [2e-20, 0],
        [0, 4e-20],
      ]),
    ).toEqual([
      [5e19, 0],
      [0, 2.5e19],
    ]);
    // After eliminating, the second pivot is 1e-13 of the scale 1: numerically singular.
    expect(
      invert([
        [1, 1],
        [1, 1 + 1e-13],
      ]),
    ).toBeNull();
    expect(invert([[0]])).toBeNull();
  });

  it('returns null for a singular matrix', () => {
    expect(
      invert([
        [1, 2],
        [2, 4],
      ]),
    ).toBeNull();
  });
});
