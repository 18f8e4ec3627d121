import { describe, expect, it } from 'vitest';
import { adjustedNps, compareNps } from './nps-change.ts';

const c = (promoters: number, passives: number, detractors: number) => ({
  promoters,
  passives,
  detractors,
});

describe('is the NPS change real?', () => {
  it('calls +10 on 100 answers each noise: a worked example', () => {
    // before 50/30/20: n' = 103, NPS' = 30/103 = 0.29126214, var = 0.60934113 (nps.test.ts)
    // after 60/25/15: p' = 60.75/103 = 0.58980583, d' = 15.75/103 = 0.15291262
    //   NPS' = 0.43689320, var = 0.74271845 − 0.19087567 = 0.55184278
    // d' = 0.14563107, se = √(0.60934113/103 + 0.55184278/103) = √0.01127363 = 0.10617735
    // z = 1.37158316, p = 2·(1 − Φ(1.37158)) = 0.17019324, P(rise) = Φ(z) = 0.91490338
    const r = compareNps(c(50, 30, 20), c(60, 25, 15));
    expect(r.change).toBeCloseTo(15, 10);
    expect(r.adjustedChange).toBeCloseTo(14.563106796, 8);
    expect(r.standardError).toBeCloseTo(10.617735211, 8);
    expect(r.pValue).toBeCloseTo(0.1701932396, 8);
    expect(r.probabilityOfRise).toBeCloseTo(0.9149033802, 8);
    expect(r.real).toBe(false);
    expect(r.direction).toBe('none');
  });

  it('calls +15 on 400 and 500 answers real', () => {
    // before 200/100/100 (NPS 25), after 300/100/100 (NPS 40):
    // d' = 14.9475356 points, se = 5.4554829, z = 2.7399106, p = 0.0061456, P(rise) = 0.9969272
    const r = compareNps(c(200, 100, 100), c(300, 100, 100));
    expect(r.change).toBeCloseTo(15, 10);
    expect(r.adjustedChange).toBeCloseTo(14.94753563, 8);
    expect(r.standardError).toBeCloseTo(5.455482921, 8);
    expect(r.pValue).toBeCloseTo(0.0061455893, 8);
    expect(r.probabilityOfRise).toBeCloseTo(0.9969272053, 8);
    expect(r.real).toBe(true);
    expect(r.direction).toBe('up');
  });

  it('is antisymmetric: swapping the periods turns a real rise into a real drop', () => {
    const up = compareNps(c(200, 100, 100), c(300, 100, 100));
    const down = compareNps(c(300, 100, 100), c(200, 100, 100));
    expect(down.change).toBeCloseTo(-(up.change ?? 0), 10);
    expect(down.pValue).toBeCloseTo(up.pValue ?? 0, 12);
    expect(down.probabilityOfRise).toBeCloseTo(1 - (up.probabilityOfRise ?? 0), 12);
    expect(down.direction).toBe('down');
  });

  it('sees no change between identical periods', () => {
    const r = compareNps(c(7, 2, 1), c(7, 2, 1));
    expect(r.change).toBe(0);
    expect(r.pValue).toBeCloseTo(1, 12);
    expect(r.probabilityOfRise).toBeCloseTo(0.5, 12);
    expect(r.real).toBe(false);
  });

  it('calls nothing real below ten answers in either period, however large the swing', () => {
    // 3 twos, then 3 tens: p = 0.014, but three answers each tell no story.
    const few = compareNps(c(0, 0, 3), c(3, 0, 0));
    expect(few.pValue).toBeLessThan(0.05);
    expect(few).toMatchObject({ change: 200, real: false, direction: 'none' });
    // Ten on each side is enough (p < 0.001 here).
    expect(compareNps(c(0, 0, 10), c(10, 0, 0))).toMatchObject({ real: true, direction: 'up' });
    expect(compareNps(c(0, 0, 9), c(10, 0, 0)).real).toBe(false);
    expect(compareNps(c(0, 0, 10), c(9, 0, 0)).real).toBe(false);
  });

  it('has no verdict when a period has no answers', () => {
    const r = compareNps(c(0, 0, 0), c(5, 0, 0));
    expect(r).toMatchObject({ change: null, pValue: null, real: false, direction: 'none' });
  });

  it('is stricter at a higher confidence level', () => {
    // p = 0.0061: real at 95 % and 99 %, not at 99.9 %.
    expect(compareNps(c(200, 100, 100), c(300, 100, 100), 0.99).real).toBe(true);
    expect(compareNps(c(200, 100, 100), c(300, 100, 100), 0.999).real).toBe(false);
  });

  it('gives the adjusted estimate of a single period', () => {
    const a = adjustedNps(c(1, 0, 0));
    // n' = 4, p' = 0.4375, d' = 0.1875
    expect(a.n).toBe(4);
    expect(a.nps).toBeCloseTo(0.25, 12);
    expect(a.variance).toBeCloseTo(0.5625, 12);
  });
});
