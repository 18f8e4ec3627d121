/**
 * The digamma function ψ(x) = d/dx ln Γ(x), needed to fit a Dirichlet prior by maximum likelihood
 * (Minka 2000). jStat has no digamma; this is the standard construction (Bernardo 1976, algorithm
 * AS 103): shift x above 6 with ψ(x) = ψ(x + 1) − 1/x, then the asymptotic series
 * ln x − 1/(2x) − Σ B₂ₖ/(2k·x²ᵏ). Accurate to about 1e-12 for x > 0.
 *
 * @throws RangeError for x ≤ 0 (the fit never needs it).
 */
export function digamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) {
    throw new RangeError(`digamma: x must be a positive finite number, got ${x}`);
  }
  let result = 0;
  let v = x;
  while (v < 6) {
    result -= 1 / v;
    v += 1;
  }
  const f = 1 / (v * v);
  const series =
    f *
    (1 / 12 -
      f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132 - f * (691 / 32760 - f / 12))))));
  return result + Math.log(v) - 0.5 / v - series;
}

/**
 * ln Γ(x) for x > 0, needed to weigh the Dirichlet prior's precision by its marginal likelihood
 * (empirical-bayes.ts). The same construction as `digamma`: shift x to 6 or above with
 * ln Γ(x) = ln Γ(x + 1) − ln x, then Stirling's series
 * (x − ½) ln x − x + ½ ln 2π + 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹), whose
 * first omitted term is below 1e-11 from 6 on.
 *
 * @throws RangeError for x ≤ 0.
 */
export function lnGamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) {
    throw new RangeError(`lnGamma: x must be a positive finite number, got ${x}`);
  }
  let result = 0;
  let v = x;
  while (v < 6) {
    result -= Math.log(v);
    v += 1;
  }
  const f = 1 / (v * v);
  const series = (1 / v) * (1 / 12 - f * (1 / 360 - f * (1 / 1260 - f * (1 / 1680 - f / 1188))));
  return result + (v - 0.5) * Math.log(v) - v + 0.5 * Math.log(2 * Math.PI) + series;
}
