import { describe, it, expect } from 'vitest';
import {
  meanWithInterval,
  returnByCategory,
  returnedWithin,
  shareRatio,
} from './return-by-category.ts';

describe('return by NPS category', () => {
  // 10 promoters: back on day 30, 60, 90, 150, 200, 300; four still away (censored 100, 250, 400, 400).
  const promoters = returnByCategory('promoter', [
    { time: 30, events: 1, censored: 0 },
    { time: 60, events: 1, censored: 0 },
    { time: 90, events: 1, censored: 0 },
    { time: 100, events: 0, censored: 1 },
    { time: 150, events: 1, censored: 0 },
    { time: 200, events: 1, censored: 0 },
    { time: 250, events: 0, censored: 1 },
    { time: 300, events: 1, censored: 0 },
    { time: 400, events: 0, censored: 2 },
  ]);

  it('reads the share back within six and twelve months off the curve', () => {
    // S(30)=0.9, S(60)=0.8, S(90)=0.7, [censor 100: 6 left], S(150)=0.7·5/6=0.58333,
    // S(200)=0.58333·4/5=0.46667, [censor 250: 3 left], S(300)=0.46667·2/3=0.31111.
    expect(promoters.customers).toBe(10);
    expect(promoters.returned).toBe(6);
    expect(promoters.within[0]?.days).toBe(182);
    expect(promoters.within[0]?.estimate).toBeCloseTo(1 - 0.583333, 5);
    expect(promoters.within[1]?.estimate).toBeCloseTo(1 - 0.311111, 5);
    expect(promoters.medianDays).toBe(200);
    const w = promoters.within[0];
    expect(w?.low).toBeLessThan(w?.estimate ?? 0);
    expect(w?.high).toBeGreaterThan(w?.estimate ?? 1);
  });

  it('says nothing about twelve months when nobody was followed that long', () => {
    const young = returnByCategory('detractor', [
      { time: 20, events: 1, censored: 0 },
      { time: 90, events: 0, censored: 3 },
    ]);
    expect(young.within[0]).toEqual({ days: 182, estimate: null, low: null, high: null });
    expect(returnedWithin(young.curve, 60).estimate).toBeCloseTo(0.25, 10);
  });

  it('gives zero, not unknown, before anyone returned', () => {
    const none = returnByCategory('passive', [{ time: 400, events: 0, censored: 5 }]);
    expect(none.within[1]).toEqual({ days: 365, estimate: 0, low: 0, high: 0 });
    expect(none.medianDays).toBeNull();
  });

  it('compares two categories as a ratio with a log-scale interval', () => {
    const detractors = returnByCategory('detractor', [
      { time: 100, events: 1, censored: 0 },
      { time: 400, events: 0, censored: 4 },
    ]);
    // F_p(182) = 0.416667, F_d(182) = 0.2 → ratio 2.083333.
    const ratio = shareRatio(promoters, detractors, 182);
    expect(ratio?.estimate).toBeCloseTo(0.416667 / 0.2, 4);
    // Greenwood: promoters σ²(182) = 0.583333²·(1/90+1/72+1/56+1/30) = 0.0258, detractors
    // 0.8²·(1/20) = 0.032 → se(log) = √(0.0258/0.416667² + 0.032/0.04) = 0.97126.
    const se = Math.sqrt(
      (0.583333 ** 2 * (1 / 90 + 1 / 72 + 1 / 56 + 1 / 30)) / 0.416667 ** 2 + 0.032 / 0.04,
    );
    expect(ratio?.low).toBeCloseTo((0.416667 / 0.2) * Math.exp(-1.959964 * se), 3);
    expect(ratio?.high).toBeCloseTo((0.416667 / 0.2) * Math.exp(1.959964 * se), 2);
  });

  it('has no ratio when one side never returned', () => {
    const none = returnByCategory('detractor', [{ time: 400, events: 0, censored: 5 }]);
    expect(shareRatio(promoters, none, 182)).toBeNull();
  });
});

describe('mean revenue per customer', () => {
  it('matches a hand computation', () => {
    // Revenue 100, 200, 300: mean 200, sd 100, se 57.735 → ±113.16.
    const m = meanWithInterval(3, 600, 100 ** 2 + 200 ** 2 + 300 ** 2);
    expect(m?.mean).toBe(200);
    expect(m?.low).toBeCloseTo(200 - 1.959964 * (100 / Math.sqrt(3)), 3);
    expect(m?.high).toBeCloseTo(200 + 1.959964 * (100 / Math.sqrt(3)), 3);
  });

  it('has no mean without customers, and no spread with one', () => {
    expect(meanWithInterval(0, 0, 0)).toBeNull();
    expect(meanWithInterval(1, 50, 2500)).toEqual({ mean: 50, low: 50, high: 50, customers: 1 });
  });
});

describe('return by category at its edges', () => {
  const rows = [
    { time: 30, events: 2, censored: 0 },
    { time: 100, events: 1, censored: 1 },
    { time: 400, events: 0, censored: 6 },
  ];

  it('turns the survival interval around: low from the upper survival bound, high from the lower', () => {
    const category = returnByCategory('promoter', rows);
    const step = category.curve.steps.find((s) => s.time === 100);
    const within = returnedWithin(category.curve, 182);
    expect(step).toBeDefined();
    expect(within.estimate).toBeCloseTo(1 - (step?.survival ?? 0), 12);
    expect(within.low).toBeCloseTo(1 - (step?.high ?? 0), 12);
    expect(within.high).toBeCloseTo(1 - (step?.low ?? 0), 12);
    expect(within.low).toBeGreaterThanOrEqual(0);
    expect(within.high).toBeLessThanOrEqual(1);
  });

  it('uses the confidence level it is given', () => {
    const wide = returnByCategory('promoter', rows, 0.99).within[0];
    const narrow = returnByCategory('promoter', rows, 0.8).within[0];
    expect(narrow?.estimate).toBeCloseTo(wide?.estimate ?? -1, 12);
    expect((narrow?.high ?? 0) - (narrow?.low ?? 0)).toBeLessThan(
      (wide?.high ?? 0) - (wide?.low ?? 0),
    );
  });

  it('says nothing for a category without customers', () => {
    const empty = returnByCategory('passive', []);
    expect(empty.customers).toBe(0);
    expect(returnedWithin(empty.curve, 0)).toEqual({
      days: 0,
      estimate: null,
      low: null,
      high: null,
    });
  });

  it('has no ratio when either side had not returned yet by that day', () => {
    const late = returnByCategory('detractor', [
      { time: 300, events: 2, censored: 0 },
      { time: 400, events: 0, censored: 3 },
    ]);
    const early = returnByCategory('promoter', rows);
    // At day 182 nobody of `late` had returned (share 0), though the curve reaches that far.
    expect(returnedWithin(late.curve, 182).estimate).toBe(0);
    expect(shareRatio(early, late, 182)).toBeNull();
    expect(shareRatio(late, early, 182)).toBeNull();
    expect(shareRatio(early, late, 365)).not.toBeNull();
  });
});
