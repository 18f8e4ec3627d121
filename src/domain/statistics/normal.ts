import jstat from 'jstat';

// jStat is CommonJS: plain Node (`loyaal serve`) offers no named export, only the default.
const { jStat } = jstat;

/**
 * Quantiles of the standard normal distribution, needed to turn a confidence level (0.95) into the
 * critical value z (1.96) used by every interval in the domain core.
 *
 * Kept dependency-free so the domain core can run anywhere (server, worker, browser).
 */

/** Exact critical values for the levels people actually pick, so common intervals match textbooks. */
const KNOWN_Z: ReadonlyMap<number, number> = new Map([
  [0.8, 1.2815515655446004],
  [0.9, 1.6448536269514722],
  [0.95, 1.959963984540054],
  [0.99, 2.5758293035489004],
]);

// Coefficients of Acklam's rational approximation (relative error below 1.2e-9).
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
] as const;
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
] as const;
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
] as const;
const D = [
  7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416,
] as const;
const P_LOW = 0.02425;

/**
 * Inverse of the standard normal CDF: the z with P(Z ≤ z) = p.
 *
 * Uses Acklam's approximation; accurate to about 1e-9, far below anything a survey can resolve.
 *
 * @throws RangeError when p is not strictly between 0 and 1.
 */
export function normalQuantile(p: number): number {
  if (!Number.isFinite(p) || p <= 0 || p >= 1) {
    throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  }
  // Stryker disable next-line EqualityOperator: at p = P_LOW both approximations are 2.2e-9 from the true quantile, one on each side
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
    );
  }
  // Stryker disable next-line EqualityOperator: the same at 1 − P_LOW (by symmetry)
  if (p > 1 - P_LOW) {
    return -normalQuantile(1 - p);
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/**
 * Two-sided critical value for a confidence level: 0.95 → 1.959963984540054.
 *
 * Intervals take a level rather than a z so that callers (and the UI) speak in the same terms as the
 * reader of a dashboard ("95% confidence").
 *
 * @throws RangeError when level is not strictly between 0 and 1.
 */
export function zForConfidence(level: number): number {
  if (!Number.isFinite(level) || level <= 0 || level >= 1) {
    throw new RangeError(`zForConfidence: level must be in (0, 1), got ${level}`);
  }
  return KNOWN_Z.get(level) ?? normalQuantile(1 - (1 - level) / 2);
}

/**
 * The standard normal CDF, P(Z ≤ z), e.g. to turn a z statistic into a p-value or a posterior
 * probability. From jStat, whose `erfc` is a Chebyshev expansion accurate to about 1e-15 (not a
 * printed table), so tail probabilities like 0.001 keep their digits (Φ(−6) to 1e-10 relative).
 * Absolute, not relative, accuracy: Φ(−8) is 2 % off and below z ≈ −8.3 it reads 0, far beyond any
 * p-value the product shows. It gives 1 at +∞, 0 at −∞ and NaN for NaN by itself (tested).
 */
export function normalCdf(z: number): number {
  return jStat.normal.cdf(z, 0, 1);
}
