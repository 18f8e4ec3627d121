import { describe, expect, it } from 'vitest';
import { digamma } from './special.ts';

const EULER_GAMMA = 0.5772156649015329;

describe('digamma', () => {
  it('is minus the Euler–Mascheroni constant at 1', () => {
    expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 12);
  });

  it('matches closed forms at ½ and at integers: ψ(½) = −γ − 2 ln 2, ψ(n) = H(n−1) − γ', () => {
    expect(digamma(0.5)).toBeCloseTo(-EULER_GAMMA - 2 * Math.LN2, 12);
    // H(9) = 1 + ½ + … + 1/9 = 2.828968253968254
    expect(digamma(10)).toBeCloseTo(2.828968253968254 - EULER_GAMMA, 12);
    expect(digamma(100)).toBeCloseTo(4.600161852738087, 12);
  });

  it('keeps the recurrence ψ(x + 1) = ψ(x) + 1/x across the series switch at 6', () => {
    for (const x of [0.01, 0.3, 1.7, 5.5, 5.99, 6, 12.25, 1e4]) {
      expect(digamma(x + 1)).toBeCloseTo(digamma(x) + 1 / x, 10);
    }
  });

  it('refuses zero, negatives and non-numbers', () => {
    for (const x of [0, -1, Number.NaN, Infinity]) {
      expect(() => digamma(x)).toThrow(`digamma: x must be a positive finite number, got ${x}`);
    }
    // Any positive x is allowed; near 0, ψ(x) ≈ −1/x − γ.
    expect(digamma(1e-10)).toBeCloseTo(-1e10 - EULER_GAMMA, 3);
  });
});
