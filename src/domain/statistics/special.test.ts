import { describe, expect, it } from 'vitest';
import { digamma, lnGamma } from './special.ts';

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

describe('lnGamma', () => {
  it('matches closed forms: Γ(1) = Γ(2) = 1, Γ(½) = √π, Γ(n) = (n − 1)!', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 11);
    expect(lnGamma(2)).toBeCloseTo(0, 11);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 11);
    // 9! = 362880, 5! = 120 (at 6 the series starts without a shift)
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lnGamma(6)).toBeCloseTo(Math.log(120), 11);
    // ln Γ(100) = ln 99! = 359.13420536957540
    expect(lnGamma(100)).toBeCloseTo(359.1342053695754, 9);
  });

  it('keeps the recurrence ln Γ(x + 1) = ln Γ(x) + ln x across the series switch at 6', () => {
    for (const x of [0.01, 0.3, 1.7, 5.5, 5.99, 6, 12.25, 1e4]) {
      expect(lnGamma(x + 1)).toBeCloseTo(lnGamma(x) + Math.log(x), 11);
    }
  });

  it('refuses zero, negatives and non-numbers', () => {
    for (const x of [0, -1, Number.NaN, Infinity]) {
      expect(() => lnGamma(x)).toThrow(`lnGamma: x must be a positive finite number, got ${x}`);
    }
  });
});
