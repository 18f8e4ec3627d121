import { describe, it, expect } from 'vitest';
import { wilsonInterval } from './proportions.ts';

const Z = 1.959963984540054;

describe('Wilson interval for a proportion', () => {
  it('matches a hand-computed response rate of 30 out of 100', () => {
    // p = 0.3, z = 1.959964, z² = 3.841459, z²/n = 0.03841459, den = 1 + z²/n = 1.03841459
    // centre = (0.3 + 3.841459/200) / 1.03841459 = 0.31920729 / 1.03841459 = 0.30739870
    // half   = (z / den) · √(0.3·0.7/100 + 3.841459/40000)
    //        = 1.88745806 · √0.00219604 = 1.88745806 · 0.04686189 = 0.08844985
    // → [0.30739870 − 0.08844985, 0.30739870 + 0.08844985] = [0.21894885, 0.39584855]
    const ci = wilsonInterval(30, 100);
    expect(ci).not.toBeNull();
    expect(ci?.estimate).toBe(0.3);
    expect(ci?.low).toBeCloseTo(0.21894885, 6);
    expect(ci?.high).toBeCloseTo(0.39584855, 6);
    expect(ci?.level).toBe(0.95);
  });

  it('is symmetric around one half for 5 out of 10', () => {
    const ci = wilsonInterval(5, 10);
    expect(ci?.low).toBeCloseTo(1 - (ci?.high ?? 0), 12);
    expect(ci?.low).toBeCloseTo(0.23659309, 6);
  });

  it('keeps a non-zero upper bound when nobody responded (0 of 10)', () => {
    // Closed form at 0 successes: high = z² / (n + z²) = 3.841459 / 13.841459
    const ci = wilsonInterval(0, 10);
    expect(ci?.estimate).toBe(0);
    expect(ci?.low).toBe(0);
    expect(ci?.high).toBeCloseTo((Z * Z) / (10 + Z * Z), 12);
  });

  it('keeps a lower bound below one when everybody responded (10 of 10)', () => {
    // Closed form at n successes: low = n / (n + z²)
    const ci = wilsonInterval(10, 10);
    expect(ci?.high).toBe(1);
    expect(ci?.low).toBeCloseTo(10 / (10 + Z * Z), 12);
  });

  it('returns null for zero trials: an unknown rate is not 0%', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('narrows as the sample grows at the same rate', () => {
    const small = wilsonInterval(3, 10);
    const large = wilsonInterval(300, 1000);
    const width = (ci: typeof small): number => (ci ? ci.high - ci.low : NaN);
    expect(width(large)).toBeLessThan(width(small));
  });

  it('widens with a higher confidence level', () => {
    const ci90 = wilsonInterval(30, 100, 0.9);
    const ci99 = wilsonInterval(30, 100, 0.99);
    expect(ci90?.level).toBe(0.9);
    expect((ci99?.high ?? 0) - (ci99?.low ?? 0)).toBeGreaterThan(
      (ci90?.high ?? 0) - (ci90?.low ?? 0),
    );
  });

  it('always contains the estimate and stays within [0, 1]', () => {
    for (let n = 1; n <= 40; n++) {
      for (let s = 0; s <= n; s++) {
        const ci = wilsonInterval(s, n);
        expect(ci).not.toBeNull();
        if (!ci) continue;
        expect(ci.low).toBeGreaterThanOrEqual(0);
        expect(ci.high).toBeLessThanOrEqual(1);
        expect(ci.low).toBeLessThanOrEqual(ci.estimate);
        expect(ci.high).toBeGreaterThanOrEqual(ci.estimate);
      }
    }
  });

  it('rejects impossible counts and levels', () => {
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1, -1)).toThrow(RangeError);
    expect(() => wilsonInterval(1, Number.NaN)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 10, 95)).toThrow(RangeError);
    expect(() => wilsonInterval(0, 0, 0)).toThrow(RangeError);
  });
});
