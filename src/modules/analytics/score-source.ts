import type { Executor } from '../../db/database.ts';
import * as answers from './analytics.repository.ts';
import { distributionOf, presentTrendPoint } from './analytics.presenter.ts';
import { addLocalDays, isLocalMidnight, startOfLocalDay, type Bucket } from './calendar.ts';
import * as rollups from './rollups.repository.ts';

/**
 * Where the counts of a results filter come from: a rollup when one can answer it exactly, else the
 * answers themselves (aggregated in SQL either way). The rollups hold whole local days per survey,
 * channel and segment, and per account manager; a filter on an account or a category, a period
 * that does not start and end at local midnight, or an account manager combined with a survey,
 * channel or segment goes to the answers.
 */
export type ScoreSource =
  | { kind: 'daily'; filter: rollups.DailyFilter }
  | { kind: 'employee'; filter: rollups.EmployeeFilter }
  | { kind: 'answers'; filter: answers.ResultsFilter };

export function planSource(f: answers.ResultsFilter, now: number): ScoreSource {
  const fallback: ScoreSource = { kind: 'answers', filter: f };
  if (f.accountId || f.category || f.scope.kind === 'none') return fallback;
  let fromDay: number | undefined;
  if (f.from !== undefined) {
    if (!isLocalMidnight(f.from)) return fallback;
    fromDay = f.from;
  }
  let toDay: number | undefined;
  if (f.to !== undefined) {
    if (isLocalMidnight(f.to)) toDay = f.to;
    // No answer is stored later than now, so a bound after now may round up to the day's end.
    else if (f.to > now) toDay = addLocalDays(startOfLocalDay(f.to), 1);
    else return fallback;
  }
  const employees = [
    f.ownerEmployeeId,
    f.scope.kind === 'employee' ? f.scope.employeeId : undefined,
  ].filter((e): e is string => !!e);
  if (employees.length > 0) {
    if (new Set(employees).size > 1) return fallback;
    if (f.surveyId || f.segment !== undefined || f.channel) return fallback;
    return {
      kind: 'employee',
      filter: { organisationId: f.organisationId, fromDay, toDay, employeeId: employees[0] },
    };
  }
  return {
    kind: 'daily',
    filter: {
      organisationId: f.organisationId,
      fromDay,
      toDay,
      surveyId: f.surveyId,
      channel: f.channel,
      segment: f.segment,
    },
  };
}

/** Eleven score counts for a filter, and which source answered. */
export async function countScores(
  db: Executor,
  f: answers.ResultsFilter,
  now: number,
): Promise<{ distribution: number[]; source: ScoreSource['kind'] }> {
  const plan = planSource(f, now);
  switch (plan.kind) {
    case 'daily':
      return {
        distribution: rollups.histogramOf(await rollups.dailyTotals(db, plan.filter)),
        source: plan.kind,
      };
    case 'employee':
      return {
        distribution: rollups.histogramOf(await rollups.employeeTotals(db, plan.filter)),
        source: plan.kind,
      };
    case 'answers':
      return { distribution: distributionOf(await answers.scoreCounts(db, f)), source: plan.kind };
  }
}

/**
 * Score counts per local day (days with answers only), for trends: from a rollup when one can
 * answer, else from the answers grouped per bucket by the caller.
 */
export async function countScoresPerDay(
  db: Executor,
  f: answers.ResultsFilter,
  now: number,
): Promise<Map<number, number[]> | null> {
  const plan = planSource(f, now);
  if (plan.kind === 'answers') return null;
  const rows =
    plan.kind === 'daily'
      ? await rollups.dailyGrouped(db, plan.filter, 'day')
      : await rollups.employeeGrouped(db, plan.filter, 'day');
  return new Map(rows.map((r) => [Number(r.key), rollups.histogramOf(r)]));
}

export type Dimension = answers.AnswerDimension;

/**
 * Score counts per group of a dimension (account manager, team, location, segment, channel,
 * survey, account), keyed by the group's id ('' for answers without one). Locations come from
 * their own rollup (organisation × day × location, migration 0036) when the filter is whole days
 * of the whole organisation; the answers without a location are the daily total minus the
 * locations. Account has no rollup grain: it is grouped over the answers of the period in SQL.
 */
export async function countScoresPerGroup(
  db: Executor,
  f: answers.ResultsFilter,
  dimension: Dimension,
  now: number,
): Promise<Map<string, number[]>> {
  const plan = planSource(f, now);
  let rows: Array<rollups.ScoreRow & { key: string | number }> | null = null;
  if (plan.kind === 'daily') {
    if (dimension === 'segment' || dimension === 'channel' || dimension === 'survey') {
      rows = await rollups.dailyGrouped(db, plan.filter, dimension);
    } else if (
      (dimension === 'employee' || dimension === 'team') &&
      !plan.filter.surveyId &&
      !plan.filter.channel &&
      plan.filter.segment === undefined
    ) {
      rows = await rollups.employeeGrouped(
        db,
        {
          organisationId: f.organisationId,
          fromDay: plan.filter.fromDay,
          toDay: plan.filter.toDay,
        },
        dimension,
      );
    }
    if (
      dimension === 'location' &&
      !plan.filter.surveyId &&
      !plan.filter.channel &&
      plan.filter.segment === undefined
    ) {
      return locationsFromRollup(db, plan.filter);
    }
  } else if (plan.kind === 'employee' && (dimension === 'employee' || dimension === 'team')) {
    rows = await rollups.employeeGrouped(db, plan.filter, dimension);
  }
  if (rows) return new Map(rows.map((r) => [String(r.key), rollups.histogramOf(r)]));
  const grouped = new Map<string, number[]>();
  for (const r of await answers.scoreCountsGrouped(db, f, dimension)) {
    const histogram = grouped.get(r.key) ?? new Array<number>(11).fill(0);
    histogram[r.score] = (histogram[r.score] ?? 0) + r.n;
    grouped.set(r.key, histogram);
  }
  return grouped;
}

/** Per location from the location rollup, plus '' (no location): the day total minus them. */
async function locationsFromRollup(
  db: Executor,
  f: rollups.DailyFilter,
): Promise<Map<string, number[]>> {
  const days = { organisationId: f.organisationId, fromDay: f.fromDay, toDay: f.toDay };
  const grouped = new Map<string, number[]>();
  const rest = rollups.histogramOf(await rollups.dailyTotals(db, days));
  for (const row of await rollups.locationGrouped(db, days)) {
    const histogram = rollups.histogramOf(row);
    if (histogram.every((n) => n === 0)) continue;
    grouped.set(row.key, histogram);
    histogram.forEach((n, score) => (rest[score] = (rest[score] ?? 0) - n));
  }
  if (rest.some((n) => n !== 0)) grouped.set('', rest);
  return grouped;
}

const HOUR_MS = 3_600_000;

/**
 * The response funnel of a filter (invited, sent, outbox, bounced, clicked, answered): the whole
 * hours before the current one from the funnel rollup (migration 0043), the current hour from its
 * invitations planned until now (the rollup also holds invitations planned later today). A filter
 * on the customer (account manager, segment, an account manager's own scope) or the account, or a
 * bound that is not a whole hour (a local midnight always is), counts the invitations themselves.
 */
export async function countFunnel(
  db: Executor,
  f: answers.ResultsFilter,
  now: number,
): Promise<rollups.FunnelCounts> {
  const wholeHour = (ms: number | undefined) => ms === undefined || ms % HOUR_MS === 0;
  if (
    f.accountId ||
    f.ownerEmployeeId ||
    f.segment ||
    f.scope.kind !== 'all' ||
    !wholeHour(f.from) ||
    !wholeHour(f.to)
  ) {
    return answers.funnelCounts(db, f, now);
  }
  const currentHour = now - (now % HOUR_MS);
  const rolledUntil = f.to === undefined ? currentHour : Math.min(f.to, currentHour);
  const rolled =
    f.from === undefined || f.from < rolledUntil
      ? await rollups.funnelTotals(db, {
          organisationId: f.organisationId,
          surveyId: f.surveyId,
          fromHour: f.from,
          toHour: rolledUntil,
        })
      : null;
  const recent =
    f.to === undefined || f.to > currentHour
      ? await answers.funnelCounts(
          db,
          { ...f, from: f.from === undefined ? currentHour : Math.max(f.from, currentHour) },
          now,
        )
      : null;
  const sum = (k: keyof rollups.FunnelCounts) => (rolled?.[k] ?? 0) + (recent?.[k] ?? 0);
  return {
    invited: sum('invited'),
    sent: sum('sent'),
    outbox: sum('outbox'),
    bounced: sum('bounced'),
    clicked: sum('clicked'),
    answered: sum('answered'),
    answeredDelivered: sum('answeredDelivered'),
  };
}

/**
 * The trend's points: the score counts of each calendar bucket, from the daily rollups when they
 * can answer the filter, else from the answers in one query (a period ending at a time of day).
 */
export async function trendPoints(
  db: Executor,
  f: answers.ResultsFilter,
  buckets: readonly Bucket[],
  now: number,
): Promise<ReturnType<typeof presentTrendPoint>[]> {
  if (buckets.length === 0) return [];
  const perDay = await countScoresPerDay(db, f, now);
  if (perDay) {
    return buckets.map((bucket) => {
      const histogram = new Array<number>(11).fill(0);
      for (const [day, counts] of perDay) {
        if (day < bucket.start || day >= bucket.end) continue;
        counts.forEach((n, score) => (histogram[score] = (histogram[score] ?? 0) + n));
      }
      return presentTrendPoint(bucket, histogram);
    });
  }
  const counts = await answers.scoreCountsPerBucket(db, f, buckets);
  return buckets.map((bucket, i) =>
    presentTrendPoint(bucket, distributionOf(counts.filter((c) => Number(c.bucket) === i))),
  );
}
