import type { Executor } from '../../db/database.ts';
import { countsFromDistribution } from '../../domain/scoring/nps.ts';
import { shrinkGroups } from '../../domain/statistics/empirical-bayes.ts';
import { compareNps } from '../../domain/statistics/nps-change.ts';
import { zForConfidence } from '../../domain/statistics/normal.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { iso } from '../../shared/time.ts';
import type { Actor } from '../auth/actor.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import * as repo from './analytics.repository.ts';
import { presentNps, presentResponse } from './analytics.presenter.ts';
import type {
  EmployeeInsightInput,
  EmployeeInsightJson,
  TeamInsightInput,
  TeamInsightJson,
} from './analytics.schemas.ts';
import { calendarBuckets } from './calendar.ts';
import { resolvePeriods } from './insight.service.ts';
import { managedTeam, mayView } from './employee-visibility.ts';
import { countScores, countScoresPerGroup, trendPoints } from './score-source.ts';

/** How many comments, praise and contact requests an account manager's home lists. */
const LIST = 10;

/**
 * Per-employee results exist only while the organisation's works council switch is on
 * (PRODUCT.md): with it off, nobody — not even the employee — gets an NPS per person.
 */
async function requireEmployeeNps(db: Executor, organisationId: string): Promise<void> {
  const org = await findOrganisation(db, organisationId);
  if (!org || !parseSettings(org.settings).employeeNpsEnabled) {
    throw new AppError('employee_nps_disabled');
  }
}

/**
 * An account manager's own home: their NPS for the period with its interval against the
 * organisation's, the change since the period before, the trend of both, the employee score with
 * its interval, their customers' latest comments, praise (promoters naming them or scoring them 9+)
 * and the customers who asked to be contacted. Aggregates come from the rollups.
 */
export async function employeeInsight(
  db: Executor,
  actor: Actor,
  employeeId: string,
  input: EmployeeInsightInput,
  now: number,
): Promise<EmployeeInsightJson> {
  await requireEmployeeNps(db, actor.organisationId);
  const employee = await repo.findEmployeeForInsight(db, actor.organisationId, employeeId);
  if (!employee) throw notFound('employee');
  if (!(await mayView(db, actor, employee))) throw new AppError('forbidden');
  const periods = resolvePeriods(input, now);
  const all = { kind: 'all' } as const;
  const mine: repo.ResultsFilter & { ownerEmployeeId: string } = {
    organisationId: actor.organisationId,
    scope: all,
    ownerEmployeeId: employee.id,
  };
  const org: repo.ResultsFilter = { organisationId: actor.organisationId, scope: all };
  const current = await countScores(db, { ...mine, ...periods.current }, now);
  const previous = await countScores(db, { ...mine, ...periods.previous }, now);
  const organisation = await countScores(db, { ...org, ...periods.current }, now);
  const change = compareNps(
    countsFromDistribution(previous.distribution),
    countsFromDistribution(current.distribution),
  );

  // The trend starts at the organisation's first answer within the period (no empty months).
  const first = await repo.firstAnswerAt(db, actor.organisationId);
  const start = Math.max(periods.current.from, first ?? periods.current.to);
  const buckets =
    start < periods.current.to ? calendarBuckets(start, periods.current.to, input.interval) : [];
  const from = buckets[0]?.start ?? start;
  const window = { from, to: periods.current.to };
  const ownTrend = await trendPoints(db, { ...mine, ...window }, buckets, now);
  const orgTrend = await trendPoints(db, { ...org, ...window }, buckets, now);

  const moments = await repo.employeeScoreMoments(db, { ...mine, ...periods.current });
  let employeeScore: EmployeeInsightJson['employeeScore'] = null;
  if (moments.n > 0) {
    const mean = moments.sum / moments.n;
    const variance =
      moments.n > 1
        ? Math.max(0, (moments.squares - moments.n * mean * mean) / (moments.n - 1))
        : 0;
    const half = zForConfidence(0.95) * Math.sqrt(variance / moments.n);
    employeeScore = {
      mean,
      low: Math.max(0, mean - half),
      high: Math.min(10, mean + half),
      n: moments.n,
    };
  }

  const inPeriod = { ...mine, ...periods.current };
  const columns = { employeeNps: true };
  const comments = await repo.listResponses(
    db,
    { ...inPeriod, withComment: true },
    { limit: LIST },
  );
  const contact = await repo.listResponses(db, { ...inPeriod, mayContact: true }, { limit: LIST });
  const firstName = employee.name.trim().split(/\s+/)[0] ?? '';
  const praise = await repo.listPraise(db, inPeriod, firstName, LIST);
  return {
    employee: { id: employee.id, name: employee.name, team: employee.team },
    period: { from: iso(periods.current.from), to: iso(periods.current.to) },
    own: presentNps(current.distribution),
    previous: presentNps(previous.distribution),
    change: {
      change: change.change,
      real: change.real,
      direction: change.direction,
      pValue: change.pValue,
      probabilityOfRise: change.probabilityOfRise,
    },
    organisation: presentNps(organisation.distribution),
    employeeScore,
    trend: {
      interval: input.interval,
      own: ownTrend,
      organisation: orgTrend,
    },
    comments: comments.slice(0, LIST).map((r) => presentResponse(r, columns)),
    praise: praise.map((r) => presentResponse(r, columns)),
    contactRequests: contact.slice(0, LIST).map((r) => presentResponse(r, columns)),
  };
}

/**
 * The employees a manager sees with their NPS for the period: the manager's own team, or every
 * employee with answers for roles that see the whole organisation. Estimates are shrunk toward the
 * organisation with the prior fitted from all account managers, so a small team is not judged on
 * its own few answers. Account managers have no team view.
 */
export async function teamInsight(
  db: Executor,
  actor: Actor,
  input: TeamInsightInput,
  now: number,
): Promise<TeamInsightJson> {
  if (actor.role === 'account_manager') throw new AppError('forbidden');
  await requireEmployeeNps(db, actor.organisationId);
  const team = await managedTeam(db, actor);
  const periods = resolvePeriods(input, now);
  const perEmployee = await countScoresPerGroup(
    db,
    { organisationId: actor.organisationId, scope: { kind: 'all' }, ...periods.current },
    'employee',
    now,
  );
  const keys = [...perEmployee.keys()].filter((k) => k !== '').sort();
  const { estimates } = shrinkGroups(
    keys.map((k) => countsFromDistribution(perEmployee.get(k) ?? [])),
  );
  const shrunk = new Map(keys.map((k, i) => [k, estimates[i]]));
  const members =
    team === null
      ? await repo.listEmployeesByIds(db, actor.organisationId, keys)
      : await repo.listTeamEmployees(db, actor.organisationId, team);
  const rows = members.map((m) => {
    const nps = presentNps(perEmployee.get(m.id) ?? new Array<number>(11).fill(0));
    const s = shrunk.get(m.id);
    return {
      employeeId: m.id,
      name: m.name,
      team: m.team,
      n: nps.total,
      nps: nps.nps,
      interval: nps.interval,
      shrunk: s ? { estimate: s.estimate, low: s.low, high: s.high } : null,
      belowMinimum: nps.total < input.minimumN,
    };
  });
  rows.sort(
    (a, b) =>
      (b.shrunk?.estimate ?? -Infinity) - (a.shrunk?.estimate ?? -Infinity) ||
      a.name.localeCompare(b.name),
  );
  return {
    team,
    period: { from: iso(periods.current.from), to: iso(periods.current.to) },
    minimumN: input.minimumN,
    members: rows,
  };
}
