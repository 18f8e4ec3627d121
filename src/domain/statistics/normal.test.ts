import { describe, it, expect } from 'vitest';
import { normalCdf, normalQuantile, zForConfidence } from './normal.ts';

describe('normal quantiles', () => {
  it('puts the median at zero', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
  });

  it('matches textbook quantiles in the centre and in both tails', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 8);
    expect(normalQuantile(0.841344746068543)).toBeCloseTo(1, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 8);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232306167813, 8);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 6);
  });

  it('is antisymmetric around one half', () => {
    for (const p of [0.01, 0.02, 0.1, 0.3, 0.45]) {
      expect(normalQuantile(p)).toBeCloseTo(-normalQuantile(1 - p), 9);
    }
  });

  it('is strictly increasing across the region boundaries', () => {
    const ps = [0.001, 0.02, 0.02425, 0.025, 0.5, 0.975, 0.97575, 0.98, 0.999];
    const zs = ps.map(normalQuantile);
    for (let i = 1; i < zs.length; i++) expect(zs[i]).toBeGreaterThan(zs[i - 1] ?? -Infinity);
  });

  it('rejects probabilities of 0, 1 and outside', () => {
    for (const p of [0, 1, -0.1, 1.1, Number.NaN, Infinity]) {
      expect(() => normalQuantile(p)).toThrow(RangeError);
    }
  });

  it('names the probability it refused', () => {
    expect(() => normalQuantile(1)).toThrow('normalQuantile: p must be in (0, 1), got 1');
    expect(() => normalQuantile(0)).toThrow('normalQuantile: p must be in (0, 1), got 0');
  });

  it('matches high-precision values (mpmath, 30 digits) to the approximation’s 1e-9', () => {
    expect(normalQuantile(1e-5)).toBeCloseTo(-4.264890793922825, 8);
    expect(normalQuantile(0.1)).toBeCloseTo(-1.2815515655446004, 8);
    expect(normalQuantile(0.7)).toBeCloseTo(0.5244005127080408, 8);
    // Where the centre and the tail approximations meet (p = 0.02425).
    expect(normalQuantile(0.02425)).toBeCloseTo(-1.972961051311885, 8);
    expect(normalQuantile(0.97575)).toBeCloseTo(1.972961051311885, 8);
  });
});

describe('critical values for a confidence level', () => {
  it('gives the exact textbook z for common levels', () => {
    expect(zForConfidence(0.95)).toBe(1.959963984540054);
    expect(zForConfidence(0.9)).toBe(1.6448536269514722);
    expect(zForConfidence(0.99)).toBe(2.5758293035489004);
    expect(zForConfidence(0.8)).toBe(1.2815515655446004);
  });

  it('computes uncommon levels from the quantile function', () => {
    // 0.6827 is the classic "one sigma" coverage.
    expect(zForConfidence(0.6826894921370859)).toBeCloseTo(1, 8);
    expect(zForConfidence(0.999)).toBeCloseTo(3.2905267314919255, 8);
  });

  it('rejects levels of 0, 1 and outside', () => {
    for (const level of [0, 1, 95, -0.5, Number.NaN]) {
      expect(() => zForConfidence(level)).toThrow(RangeError);
    }
  });

  it('names the level it refused (a level of 1 is not passed on as p = 1)', () => {
    expect(() => zForConfidence(1)).toThrow('zForConfidence: level must be in (0, 1), got 1');
    expect(() => zForConfidence(0)).toThrow('zForConfidence: level must be in (0, 1), got 0');
  });
});

describe('normal CDF', () => {
  it('matches tabulated values of Φ', () => {
    // Φ(0) = 0.5, Φ(1) = 0.841344746, Φ(1.959964) = 0.975, Φ(−2.575829) = 0.005 (any normal table).
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1)).toBeCloseTo(0.841344746, 6);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.5758293035489004)).toBeCloseTo(0.005, 6);
    expect(normalCdf(-8)).toBeLessThan(1e-14);
  });

  it('inverts normalQuantile', () => {
    for (const p of [0.001, 0.02, 0.3, 0.5, 0.77, 0.999]) {
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
    }
  });

  it('matches textbook probabilities', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 14);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 12);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12);
    expect(normalCdf(-3.090232306167813)).toBeCloseTo(0.001, 12);
  });

  it('keeps its digits far in the tails (no table lookup)', () => {
    // Φ(−6) = 9.865876450377012e-10
    expect(normalCdf(-6) / 9.865876450377012e-10).toBeCloseTo(1, 6);
    // mpmath (30 digits): Φ(−5) = 2.866515718791939e-7.
    expect(normalCdf(-5) / 2.866515718791939e-7).toBeCloseTo(1, 9);
    expect(normalCdf(2.5)).toBeCloseTo(0.9937903346742238, 14);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
  });

  it('is the inverse of the quantile function', () => {
    for (const p of [0.001, 0.025, 0.2, 0.5, 0.9, 0.999]) {
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 8);
    }
  });

  it('passes NaN through', () => {
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});
