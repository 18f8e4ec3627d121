import { describe, it, expect } from 'vitest';
import { kaplanMeier, medianTime, survivalAt, type SurvivalRow } from './kaplan-meier.ts';

/**
 * Freireich et al. (1963) 6-MP arm, remission weeks as published by Gehan (1965); a `+` marks a
 * censored time: 6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+.
 */
const SIX_MP: SurvivalRow[] = [
  { time: 6, events: 3, censored: 1 },
  { time: 7, events: 1, censored: 0 },
  { time: 9, events: 0, censored: 1 },
  { time: 10, events: 1, censored: 1 },
  { time: 11, events: 0, censored: 1 },
  { time: 13, events: 1, censored: 0 },
  { time: 16, events: 1, censored: 0 },
  { time: 17, events: 0, censored: 1 },
  { time: 19, events: 0, censored: 1 },
  { time: 20, events: 0, censored: 1 },
  { time: 22, events: 1, censored: 0 },
  { time: 23, events: 1, censored: 0 },
  { time: 25, events: 0, censored: 1 },
  { time: 32, events: 0, censored: 2 },
  { time: 34, events: 0, censored: 1 },
  { time: 35, events: 0, censored: 1 },
];

describe('Kaplan–Meier with Greenwood intervals', () => {
  it('reproduces the published 6-MP table (R survfit, conf.type "log")', () => {
    // time n.risk n.event survival std.err lower95 upper95 (R `survfit(Surv(time, status) ~ 1)`):
    const published = [
      [6, 21, 3, 0.857, 0.0764, 0.72, 1.0],
      [7, 17, 1, 0.807, 0.0869, 0.653, 0.996],
      [10, 15, 1, 0.753, 0.0963, 0.586, 0.968],
      [13, 12, 1, 0.69, 0.1068, 0.51, 0.935],
      [16, 11, 1, 0.627, 0.1141, 0.439, 0.896],
      [22, 7, 1, 0.538, 0.1282, 0.337, 0.858],
      [23, 6, 1, 0.448, 0.1346, 0.249, 0.807],
    ] as const;
    const curve = kaplanMeier(SIX_MP, { interval: 'log' });
    expect(curve.total).toBe(21);
    expect(curve.events).toBe(9);
    expect(curve.maxTime).toBe(35);
    expect(curve.steps.map((s) => s.time)).toEqual(published.map((p) => p[0]));
    curve.steps.forEach((step, i) => {
      const [, n, d, s, se, lo, hi] = published[i] ?? [];
      expect(step.atRisk).toBe(n);
      expect(step.events).toBe(d);
      expect(step.survival).toBeCloseTo(s ?? -1, 3);
      expect(step.stdErr).toBeCloseTo(se ?? -1, 4);
      expect(step.low).toBeCloseTo(lo ?? -1, 3);
      expect(step.high).toBeCloseTo(hi ?? -1, 3);
    });
  });

  it('gives the log-log interval that Stata prints for the same data', () => {
    // Stata `sts list` (log-log by default) and an independent numpy computation agree:
    // t=6: 0.8571 [0.6197, 0.9516]; t=13: 0.6902 [0.4316, 0.8491]; t=23: 0.4482 [0.1881, 0.6801].
    const curve = kaplanMeier(SIX_MP);
    const at = (t: number) => curve.steps.find((s) => s.time === t);
    expect(at(6)?.low).toBeCloseTo(0.619718, 5);
    expect(at(6)?.high).toBeCloseTo(0.951552, 5);
    expect(at(13)?.low).toBeCloseTo(0.43161, 5);
    expect(at(13)?.high).toBeCloseTo(0.849066, 5);
    expect(at(23)?.low).toBeCloseTo(0.188052, 5);
    expect(at(23)?.high).toBeCloseTo(0.680143, 5);
  });

  it('computes a small curve by hand', () => {
    // 4 customers: returned on day 2, censored day 3, returned day 5 and day 5.
    // S(2) = 3/4; at day 5 two at risk, two return → S(5) = 0.
    // Greenwood at day 2: 1/(4·3) → SE = 0.75·√(1/12) = 0.216506.
    const curve = kaplanMeier([
      { time: 2, events: 1, censored: 0 },
      { time: 3, events: 0, censored: 1 },
      { time: 5, events: 2, censored: 0 },
    ]);
    expect(curve.steps).toHaveLength(2);
    expect(curve.steps[0]?.survival).toBe(0.75);
    expect(curve.steps[0]?.stdErr).toBeCloseTo(0.216506, 6);
    expect(curve.steps[1]).toMatchObject({ time: 5, atRisk: 2, survival: 0, low: 0, high: 0 });
    expect(medianTime(curve)).toBe(5);
  });

  it('counts a customer censored on the day of an event as still at risk that day', () => {
    const curve = kaplanMeier([{ time: 10, events: 1, censored: 1 }]);
    expect(curve.steps[0]).toMatchObject({ atRisk: 2, survival: 0.5 });
  });

  it('merges repeated times given in any order', () => {
    const a = kaplanMeier([
      { time: 9, events: 1, censored: 0 },
      { time: 3, events: 1, censored: 0 },
      { time: 9, events: 0, censored: 2 },
      { time: 3, events: 0, censored: 1 },
    ]);
    const b = kaplanMeier([
      { time: 3, events: 1, censored: 1 },
      { time: 9, events: 1, censored: 2 },
    ]);
    expect(a).toEqual(b);
  });

  it('reads the curve at a time, and refuses to extrapolate beyond the data', () => {
    const curve = kaplanMeier(SIX_MP);
    expect(survivalAt(curve, 5)).toBeNull();
    expect(survivalAt(curve, 12)?.time).toBe(10);
    expect(survivalAt(curve, 35)?.time).toBe(23);
    expect(survivalAt(curve, 36)).toBeUndefined();
    expect(medianTime(curve)).toBe(23);
  });

  it('has no median when fewer than half returned', () => {
    expect(medianTime(kaplanMeier([{ time: 4, events: 1, censored: 5 }]))).toBeNull();
  });

  it('has an empty curve for no customers', () => {
    expect(kaplanMeier([])).toMatchObject({ total: 0, events: 0, steps: [] });
  });

  it('refuses negative times and fractional or negative counts, naming them', () => {
    expect(() => kaplanMeier([{ time: -1, events: 1, censored: 0 }])).toThrow(
      /time must be a non-negative number, got -1/,
    );
    expect(() => kaplanMeier([{ time: 1, events: 0.5, censored: 0 }])).toThrow(
      /events must be a non-negative integer, got 0.5/,
    );
    expect(() => kaplanMeier([{ time: 1, events: 1, censored: -1 }])).toThrow(
      /censored must be a non-negative integer, got -1/,
    );
    expect(kaplanMeier([{ time: 0, events: 1, censored: 1 }]).steps[0]?.survival).toBe(0.5);
  });

  it('uses the log-log interval unless asked otherwise', () => {
    expect(kaplanMeier(SIX_MP)).toEqual(kaplanMeier(SIX_MP, { interval: 'log-log' }));
    expect(kaplanMeier(SIX_MP)).not.toEqual(kaplanMeier(SIX_MP, { interval: 'log' }));
  });

  it('reads a step at its own time, and a median at exactly one half', () => {
    const curve = kaplanMeier(SIX_MP);
    expect(survivalAt(curve, 10)?.time).toBe(10);
    expect(medianTime(kaplanMeier([{ time: 3, events: 1, censored: 1 }]))).toBe(3);
  });

  it('does not stretch the curve to a time where nobody was', () => {
    const curve = kaplanMeier([
      { time: 4, events: 1, censored: 1 },
      { time: 50, events: 0, censored: 0 },
    ]);
    expect(curve.maxTime).toBe(4);
    expect(survivalAt(curve, 20)).toBeUndefined();
  });

  it('ends at zero with a zero-width interval when everyone returned', () => {
    const step = kaplanMeier([{ time: 2, events: 3, censored: 0 }]).steps[0];
    expect(step).toMatchObject({ survival: 0, low: 0, high: 0, stdErr: 0 });
  });
});
