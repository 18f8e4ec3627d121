import { zForConfidence } from './normal.ts';

/**
 * Kaplan–Meier estimate of a survival curve with Greenwood's variance.
 *
 * In Loyaal "survival" is "has not come back yet": time runs from a customer's answer (or
 * invitation) to their next visit, and a customer who has not returned by today is censored at
 * today. The estimator is what lets a customer who answered last month count for the first month
 * without pretending they will never return.
 *
 * Input is aggregated (one row per distinct time with counts) so that SQL can hand over a few hundred
 * rows instead of every customer.
 */

/** Customers leaving observation at one time: `events` returned then, `censored` were last seen. */
export type SurvivalRow = Readonly<{ time: number; events: number; censored: number }>;

/** One step of the curve, at a time where at least one event happened. */
export type SurvivalStep = Readonly<{
  time: number;
  atRisk: number;
  events: number;
  /** S(t): share still without the event just after `time`. */
  survival: number;
  /** Greenwood standard error of S(t). */
  stdErr: number;
  /** Pointwise confidence interval of S(t). */
  low: number;
  high: number;
}>;

export type SurvivalCurve = Readonly<{
  /** Everyone observed (events + censored over all rows). */
  total: number;
  events: number;
  steps: readonly SurvivalStep[];
  level: number;
  /** Largest time anyone was observed (event or censoring): the curve says nothing beyond it. */
  maxTime: number;
}>;

/**
 * How the interval is built from Greenwood's variance.
 * - `log-log` (default; Kalbfleisch & Prentice): S^exp(±z·σ/ln S). Always inside (0, 1), good
 *   coverage in small groups — what a chart of a garage's 40 promoters needs.
 * - `log` (R's `survfit` default): S·exp(±z·σ), upper bound clipped at 1.
 */
export type SurvivalIntervalKind = 'log-log' | 'log';

function assertRow(row: SurvivalRow): void {
  const { time, events, censored } = row;
  if (!Number.isFinite(time) || time < 0) {
    throw new RangeError(`kaplanMeier: time must be a non-negative number, got ${time}`);
  }
  for (const [name, value] of [
    ['events', events],
    ['censored', censored],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`kaplanMeier: ${name} must be a non-negative integer, got ${value}`);
    }
  }
}

/**
 * The Kaplan–Meier curve of aggregated rows (times may repeat; they are merged). At a tied time
 * events come before censorings, the usual convention: someone censored at day 30 was at risk of
 * returning on day 30.
 *
 * @throws RangeError on negative times or non-integer counts, or a level outside (0, 1).
 */
export function kaplanMeier(
  rows: readonly SurvivalRow[],
  options: { level?: number; interval?: SurvivalIntervalKind } = {},
): SurvivalCurve {
  const level = options.level ?? 0.95;
  const kind = options.interval ?? 'log-log';
  const z = zForConfidence(level);
  const byTime = new Map<number, { events: number; censored: number }>();
  for (const row of rows) {
    assertRow(row);
    const entry = byTime.get(row.time) ?? { events: 0, censored: 0 };
    entry.events += row.events;
    entry.censored += row.censored;
    byTime.set(row.time, entry);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  let atRisk = 0;
  let totalEvents = 0;
  let maxTime = 0;
  for (const [time, entry] of byTime) {
    atRisk += entry.events + entry.censored;
    totalEvents += entry.events;
    if (entry.events + entry.censored > 0) maxTime = Math.max(maxTime, time);
  }
  const total = atRisk;

  const steps: SurvivalStep[] = [];
  let survival = 1;
  let greenwood = 0;
  for (const time of times) {
    const { events, censored } = byTime.get(time) ?? { events: 0, censored: 0 };
    if (events > 0) {
      survival *= 1 - events / atRisk;
      // d / (n (n − d)) is infinite (a division by 0) when everyone at risk has the event; S is
      // then 0 exactly and its interval [0, 0].
      greenwood += events / (atRisk * (atRisk - events));
      steps.push({ time, atRisk, events, survival, ...interval(survival, greenwood, z, kind) });
    }
    atRisk -= events + censored;
  }
  return { total, events: totalEvents, steps, level, maxTime };
}

function interval(
  survival: number,
  greenwood: number,
  z: number,
  kind: SurvivalIntervalKind,
): { stdErr: number; low: number; high: number } {
  if (survival === 0) return { stdErr: 0, low: 0, high: 0 };
  // A step has an event, so 0 < S < 1 here and Greenwood's sum is above 0.
  const sigma = Math.sqrt(greenwood);
  const stdErr = survival * sigma;
  if (kind === 'log') {
    return {
      stdErr,
      low: survival * Math.exp(-z * sigma),
      high: Math.min(1, survival * Math.exp(z * sigma)),
    };
  }
  const theta = (z * sigma) / Math.log(survival);
  const a = survival ** Math.exp(-theta);
  const b = survival ** Math.exp(theta);
  return { stdErr, low: Math.min(a, b), high: Math.max(a, b) };
}

/**
 * The step in force at time t (the last step at or before t), or null before the first event: S is
 * then 1 exactly, with no uncertainty. Returns undefined beyond the last observation, where the
 * curve is unknown rather than flat.
 */
export function survivalAt(curve: SurvivalCurve, t: number): SurvivalStep | null | undefined {
  if (t > curve.maxTime) return undefined;
  let found: SurvivalStep | null = null;
  for (const step of curve.steps) {
    if (step.time > t) break;
    found = step;
  }
  return found;
}

/**
 * Median time to the event: the first time S(t) ≤ 0.5, or null when the curve never gets there
 * (fewer than half returned within what was observed) — "more than N days", not a number.
 */
export function medianTime(curve: SurvivalCurve): number | null {
  for (const step of curve.steps) {
    if (step.survival <= 0.5 + 1e-12) return step.time;
  }
  return null;
}
