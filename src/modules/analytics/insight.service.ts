import type { Executor } from '../../db/database.ts';
import { computeNps, countsFromDistribution, type NpsCounts } from '../../domain/scoring/nps.ts';
import { decomposeChange } from '../../domain/statistics/decompose-change.ts';
import { priorPrecision, shrinkGroups } from '../../domain/statistics/empirical-bayes.ts';
import { funnelCurve, funnelPosition } from '../../domain/statistics/funnel.ts';
import { compareNps } from '../../domain/statistics/nps-change.ts';
import { AppError } from '../../shared/errors.ts';
import { iso } from '../../shared/time.ts';
import type { Actor } from '../auth/actor.ts';
import { recordScope } from '../auth/record-scope.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import * as repo from './analytics.repository.ts';
import { presentNps, presentResponse } from './analytics.presenter.ts';
import type {
  BreakdownInput,
  BreakdownJson,
  OverviewInput,
  OverviewJson,
} from './analytics.schemas.ts';
import { addLocalDays, isLocalMidnight, startOfLocalDay } from './calendar.ts';
import { managedTeam } from './employee-visibility.ts';
import { countScores, countScoresPerGroup } from './score-source.ts';

/** The default period of the first screen: the last 90 days, today included. */
export const DEFAULT_PERIOD_DAYS = 90;

/**
 * The period a screen shows and the one before it, of equal length. Without bounds: the last 90
 * local days up to the end of today. A period of whole local days is preceded by as many whole
 * local days: across a change to or from summer time the two differ by an hour in milliseconds,
 * and a previous period that began at 23:00 could not be read from the daily rollups (it went to
 * the answers: half a second per request at a million answers, found by `npm run bench`).
 */
export function resolvePeriods(input: { from?: number; to?: number }, now: number) {
  const to = input.to ?? addLocalDays(startOfLocalDay(now), 1);
  const from = input.from ?? addLocalDays(to, -DEFAULT_PERIOD_DAYS);
  if (from >= to) {
    throw new AppError('validation_failed', {
      issues: [{ field: 'to', problem: 'invalid_value' }],
    });
  }
  const previousFrom =
    isLocalMidnight(from) && isLocalMidnight(to)
      ? addLocalDays(from, -Math.round((to - from) / DAY_MS))
      : from - (to - from);
  return { current: { from, to }, previous: { from: previousFrom, to: from } };
}

const DAY_MS = 86_400_000;

async function baseFilter(
  db: Executor,
  actor: Actor,
  input: OverviewInput,
): Promise<{ filter: repo.ResultsFilter; employeeNps: boolean }> {
  const org = await findOrganisation(db, actor.organisationId);
  const employeeNps = org ? parseSettings(org.settings).employeeNpsEnabled : false;
  if (!employeeNps && input.ownerEmployeeId !== undefined) {
    throw new AppError('employee_nps_disabled');
  }
  return {
    employeeNps,
    filter: {
      organisationId: actor.organisationId,
      scope: recordScope(actor),
      surveyId: input.surveyId,
      ownerEmployeeId: input.ownerEmployeeId,
      segment: input.segment,
      accountId: input.accountId,
      channel: input.channel,
    },
  };
}

function presentChange(before: NpsCounts, after: NpsCounts) {
  const c = compareNps(before, after);
  return {
    change: c.change,
    real: c.real,
    direction: c.direction,
    pValue: c.pValue,
    probabilityOfRise: c.probabilityOfRise,
    standardError: c.standardError,
  };
}

/**
 * The first screen: NPS for the period with its interval, the previous period, whether the change
 * is real, the 0–10 distribution and the five latest comments.
 */
export async function resultsOverview(
  db: Executor,
  actor: Actor,
  input: OverviewInput,
  now: number,
): Promise<OverviewJson> {
  const { filter, employeeNps } = await baseFilter(db, actor, input);
  const periods = resolvePeriods(input, now);
  const current = await countScores(db, { ...filter, ...periods.current }, now);
  const previous = await countScores(db, { ...filter, ...periods.previous }, now);
  const comments = await repo.listResponses(
    db,
    { ...filter, ...periods.current, withComment: true },
    { limit: 5 },
  );
  return {
    period: { from: iso(periods.current.from), to: iso(periods.current.to) },
    previousPeriod: { from: iso(periods.previous.from), to: iso(periods.previous.to) },
    ...presentNps(current.distribution),
    distribution: current.distribution,
    previous: presentNps(previous.distribution),
    change: presentChange(
      countsFromDistribution(previous.distribution),
      countsFromDistribution(current.distribution),
    ),
    latestComments: comments.slice(0, 5).map((r) => presentResponse(r, { employeeNps })),
    source: current.source,
  };
}

/**
 * The rows of a per-person breakdown an actor may see (null: all). An account manager sees only
 * their own row among the account managers and has no team ranking; a manager whose employee
 * record is in a team sees that team's members and themselves, or only their team's row; every
 * other role sees everyone. The same reading as an account manager's home (`mayView`).
 */
async function visiblePeople(
  db: Executor,
  actor: Actor,
  dimension: 'employee' | 'team',
): Promise<Set<string> | null> {
  if (actor.role === 'account_manager') {
    if (dimension === 'team') throw new AppError('forbidden');
    return new Set(actor.employeeId ? [actor.employeeId] : []);
  }
  const team = await managedTeam(db, actor);
  if (team === null) return null;
  if (dimension === 'team') return new Set([team]);
  const members = await repo.listTeamEmployees(db, actor.organisationId, team);
  return new Set([...members.map((m) => m.id), ...(actor.employeeId ? [actor.employeeId] : [])]);
}

/**
 * NPS per group of a dimension with honest statistics: raw NPS and interval, the estimate shrunk
 * toward the organisation (empirical Bayes, prior fitted from these groups), the group's place in
 * the funnel plot, and each group's part of the change since the previous period. Groups below
 * `minimumN` are marked so that no screen ranks them on their raw NPS.
 */
export async function resultsBreakdown(
  db: Executor,
  actor: Actor,
  input: BreakdownInput,
  now: number,
): Promise<BreakdownJson> {
  const { filter: scoped, employeeNps } = await baseFilter(db, actor, input);
  const dimension = input.dimension;
  const perEmployee = dimension === 'employee' || dimension === 'team';
  if (perEmployee && !employeeNps) throw new AppError('employee_nps_disabled');
  const visible = perEmployee ? await visiblePeople(db, actor, dimension) : null;
  // Per person, the prior, the organisation and the funnel come from every account manager (the
  // reference a person is compared with); only the rows shown are limited to what the actor sees.
  const filter: repo.ResultsFilter = perEmployee ? { ...scoped, scope: { kind: 'all' } } : scoped;
  const periods = resolvePeriods(input, now);
  const current = await countScoresPerGroup(
    db,
    { ...filter, ...periods.current },
    input.dimension,
    now,
  );
  const previous = await countScoresPerGroup(
    db,
    { ...filter, ...periods.previous },
    input.dimension,
    now,
  );
  const keys = [...current.keys()].sort();
  const counts = keys.map((k) => countsFromDistribution(current.get(k) ?? []));
  const organisation = counts.reduce(
    (s, c) => ({
      promoters: s.promoters + c.promoters,
      passives: s.passives + c.passives,
      detractors: s.detractors + c.detractors,
    }),
    { promoters: 0, passives: 0, detractors: 0 },
  );
  const { prior, estimates } = shrinkGroups(counts);
  const names =
    dimension === 'employee' ||
    dimension === 'survey' ||
    dimension === 'account' ||
    dimension === 'location'
      ? await repo.groupNames(
          db,
          actor.organisationId,
          dimension,
          keys.filter((k) => k !== '' && (visible === null || visible.has(k))),
        )
      : new Map<string, string>();
  const orgTotal = organisation.promoters + organisation.passives + organisation.detractors;
  const empty = new Array<number>(11).fill(0);
  const decomposition = decomposeChange(
    [...new Set([...keys, ...previous.keys()])].map((key) => ({
      key,
      before: countsFromDistribution(previous.get(key) ?? empty),
      after: countsFromDistribution(current.get(key) ?? empty),
    })),
  );
  const parts = new Map(decomposition.parts.map((p) => [p.key, p]));
  const all = keys.map((key, i) => {
    const c = counts[i] ?? organisation;
    const raw = computeNps(c);
    const shrunk = estimates[i];
    const part = parts.get(key);
    return {
      key,
      label: names.get(key) ?? (key === '' ? null : key),
      n: raw.total,
      nps: raw.nps,
      interval: raw.interval,
      shrunk: shrunk
        ? {
            estimate: shrunk.estimate,
            low: shrunk.low,
            high: shrunk.high,
            ownWeight: shrunk.ownWeight,
          }
        : null,
      belowMinimum: raw.total < input.minimumN,
      funnel: orgTotal > 0 ? funnelPosition(organisation, c) : null,
      change: part
        ? {
            contribution: part.contribution,
            mix: part.mix,
            performance: part.performance,
            standardError: part.standardError,
            real: part.real,
            previousNps: part.beforeNps,
          }
        : null,
    };
  });
  const groups = visible === null ? all : all.filter((g) => visible.has(g.key));
  groups.sort((a, b) => (b.shrunk?.estimate ?? 0) - (a.shrunk?.estimate ?? 0));
  const largest = Math.max(1, ...groups.map((g) => g.n));
  return {
    dimension: input.dimension,
    period: { from: iso(periods.current.from), to: iso(periods.current.to) },
    minimumN: input.minimumN,
    organisation: presentNps([
      organisation.detractors,
      0,
      0,
      0,
      0,
      0,
      0,
      organisation.passives,
      0,
      0,
      organisation.promoters,
    ]),
    prior: { precision: priorPrecision(prior) },
    change: {
      before: decomposition.before,
      after: decomposition.after,
      change: decomposition.change,
    },
    groups,
    funnel:
      orgTotal > 0
        ? funnelCurve(organisation, largest).map((l) => ({
            n: l.n,
            lower95: l.lower95,
            upper95: l.upper95,
            lower998: l.lower998,
            upper998: l.upper998,
          }))
        : [],
  };
}

/**
 * An organisation's NPS with its interval over the default period (the last 90 local days, today
 * included), through the same scoped filter as its own first screen: the actor's organisation and
 * record scope, nothing else.
 */
export async function defaultPeriodNps(db: Executor, actor: Actor, now: number) {
  const { filter } = await baseFilter(db, actor, {});
  const periods = resolvePeriods({}, now);
  const current = await countScores(db, { ...filter, ...periods.current }, now);
  return {
    period: { from: iso(periods.current.from), to: iso(periods.current.to) },
    nps: presentNps(current.distribution),
  };
}
