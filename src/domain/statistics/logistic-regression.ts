import { normalCdf, zForConfidence } from './normal.ts';

/**
 * Logistic regression fitted by iteratively reweighted least squares (Newton–Raphson on the
 * binomial log-likelihood), with standard errors from the inverse Fisher information.
 *
 * Rows are grouped binomial counts — "of 40 customers who scored 9 and visited twice the year
 * before, 31 came back" — so SQL can aggregate a million visits into a few hundred rows and the fit
 * never sees a customer.
 */

export type BinomialRow = Readonly<{
  /** Predictors, without the intercept (added here). */
  x: readonly number[];
  successes: number;
  trials: number;
}>;

export type Coefficient = Readonly<{
  estimate: number;
  stdErr: number;
  /** Wald z and its two-sided p-value. */
  z: number;
  p: number;
  /** Wald interval of the coefficient (log-odds scale); exp() gives the odds-ratio interval. */
  low: number;
  high: number;
}>;

export type LogisticFit =
  | Readonly<{
      status: 'ok';
      /** Intercept first, then one per predictor in row order. */
      coefficients: readonly Coefficient[];
      deviance: number;
      nullDeviance: number;
      iterations: number;
      level: number;
    }>
  /**
   * `separated`: some combination of predictors predicts the outcome perfectly, so the estimate runs
   * off to infinity — there is no finite answer to report. `singular`: a predictor does not vary (or
   * repeats another), so its effect cannot be told apart. `empty`: no trials, or only one outcome.
   */
  | Readonly<{ status: 'separated' | 'singular' | 'empty'; iterations: number }>;

const MAX_ITERATIONS = 50;
/** A fitted probability this close to 0 or 1 in a group with data means the fit is running away. */
const SEPARATION_EPS = 1e-10;

function assertRows(rows: readonly BinomialRow[], width: number): void {
  for (const row of rows) {
    if (row.x.length !== width) {
      throw new RangeError(`logistic: every row needs ${width} predictors, got ${row.x.length}`);
    }
    if (!row.x.every(Number.isFinite)) throw new RangeError('logistic: predictors must be finite');
    if (!Number.isInteger(row.trials) || row.trials < 0) {
      throw new RangeError(`logistic: trials must be a non-negative integer, got ${row.trials}`);
    }
    if (!Number.isInteger(row.successes) || row.successes < 0 || row.successes > row.trials) {
      throw new RangeError(`logistic: successes must be in [0, trials], got ${row.successes}`);
    }
  }
}

/** Safe at both ends: exp(−η) overflows to Infinity for very negative η, and 1/Infinity is 0. */
const sigmoid = (eta: number): number => 1 / (1 + Math.exp(-eta));

/** Binomial deviance contribution, with 0·log 0 = 0. */
function deviancePart(successes: number, trials: number, p: number): number {
  const failures = trials - successes;
  let d = 0;
  if (successes > 0) d += successes * Math.log(successes / (trials * p));
  if (failures > 0) d += failures * Math.log(failures / (trials * (1 - p)));
  return 2 * d;
}

/**
 * Fits P(success) = 1 / (1 + exp(−(b0 + b1·x1 + …))).
 *
 * @throws RangeError when rows disagree in width or carry impossible counts.
 */
export function fitLogistic(
  rows: readonly BinomialRow[],
  options: { level?: number } = {},
): LogisticFit {
  const level = options.level ?? 0.95;
  const z = zForConfidence(level);
  const width = rows[0]?.x.length ?? 0;
  assertRows(rows, width);
  const used = rows.filter((r) => r.trials > 0);
  const trials = used.reduce((s, r) => s + r.trials, 0);
  const successes = used.reduce((s, r) => s + r.successes, 0);
  if (trials === 0 || successes === 0 || successes === trials)
    return { status: 'empty', iterations: 0 };

  const design = used.map((r) => [1, ...r.x]);
  const pBar = successes / trials;
  // Start at the overall log-odds with no effects.
  let beta: number[] = [Math.log(pBar / (1 - pBar)), ...new Array<number>(width).fill(0)];
  let previous = Number.POSITIVE_INFINITY;

  // Stryker disable next-line EqualityOperator: the 50th step is never reached (the return below)
  for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
    const fitted = used.map((row, i) => {
      const xi = design[i] ?? [];
      const p = sigmoid(dot(xi, beta));
      return { row, xi, p, w: row.trials * p * (1 - p), residual: row.successes - row.trials * p };
    });
    const extreme = fitted.some(({ p }) => p < SEPARATION_EPS || p > 1 - SEPARATION_EPS);
    const score = beta.map((_, a) => fitted.reduce((s, f) => s + (f.xi[a] ?? 0) * f.residual, 0));
    const info = beta.map((_, a) =>
      beta.map((__, b) => fitted.reduce((s, f) => s + (f.xi[a] ?? 0) * (f.xi[b] ?? 0) * f.w, 0)),
    );
    const deviance = fitted.reduce(
      (s, f) => s + deviancePart(f.row.successes, f.row.trials, f.p),
      0,
    );
    const inverse = invert(info);
    if (!inverse) return { status: extreme ? 'separated' : 'singular', iterations: iteration };
    const step = inverse.map((row) => dot(row, score));
    if (Math.abs(previous - deviance) < 1e-10 * (Math.abs(deviance) + 0.1)) {
      // The deviance has settled. At a finite maximum the next Newton step is vanishingly small;
      // under separation the deviance settles too, but each step still moves the separated rows'
      // log-odds by about 1, forever. A fitted probability of 1e-35 alone proves nothing: 0 of 10
      // at x = 100 next to 6 of 10 at x = 0 and 4 of 10 at x = 1 has a finite answer.
      const moving = fitted.some((f) => Math.abs(dot(f.xi, step)) > 1e-3);
      if (moving) return { status: 'separated', iterations: iteration };
      const nullDeviance = used.reduce((s, r) => s + deviancePart(r.successes, r.trials, pBar), 0);
      return {
        status: 'ok',
        coefficients: inverse.map((row, a) => {
          const estimate = beta[a] ?? 0;
          const stdErr = Math.sqrt(row[a] ?? Number.NaN);
          const wald = estimate / stdErr;
          return {
            estimate,
            stdErr,
            z: wald,
            p: 2 * normalCdf(-Math.abs(wald)),
            low: estimate - z * stdErr,
            high: estimate + z * stdErr,
          };
        }),
        deviance,
        nullDeviance,
        iterations: iteration,
        level,
      };
    }
    previous = deviance;
    beta = beta.map((b, a) => b + (step[a] ?? 0));
  }
  // Unreachable in practice: Newton steps converge in a few steps, and under separation the
  // deviance settles (or the information matrix underflows) within about 30, before the 50th.
  // Stryker disable next-line all: unreachable (above)
  return { status: 'separated', iterations: MAX_ITERATIONS };
}

/** The fitted probability for predictors x (without intercept) under a successful fit. */
export function predictLogistic(
  coefficients: readonly Coefficient[],
  x: readonly number[],
): number {
  return sigmoid(
    coefficients.reduce((s, c, a) => s + c.estimate * (a === 0 ? 1 : (x[a - 1] ?? 0)), 0),
  );
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
}

/**
 * Inverse of a small symmetric positive-definite matrix by Gauss–Jordan with partial pivoting; null
 * when (numerically) singular relative to its own scale.
 */
export function invert(m: readonly (readonly number[])[]): number[][] | null {
  const k = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))]);
  const scale = Math.max(1e-300, ...m.map((row, i) => Math.abs(row[i] ?? 0)));
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) {
      if (Math.abs(a[r]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = r;
    }
    const pivotRow = a[pivot];
    if (!pivotRow || Math.abs(pivotRow[col] ?? 0) < 1e-12 * scale) return null;
    [a[col], a[pivot]] = [pivotRow, a[col] ?? []];
    const p = pivotRow[col] ?? 1;
    for (let c = 0; c < 2 * k; c++) pivotRow[c] = (pivotRow[c] ?? 0) / p;
    a.forEach((row, r) => {
      if (r === col) return;
      const f = row[col] ?? 0;
      for (let c = 0; c < 2 * k; c++) row[c] = (row[c] ?? 0) - f * (pivotRow[c] ?? 0);
    });
  }
  return a.map((row) => row.slice(k));
}
