import type { Executor } from '../../db/database.ts';
import type { NotificationTable } from '../../db/schema.ts';
import type { NpsCounts } from '../../domain/scoring/nps.ts';
import { countsFromDistribution } from '../../domain/scoring/nps.ts';
import { judgeGroupChanges, type GroupPeriods } from '../../domain/statistics/celebrate.ts';
import { decodeCursor, encodeCursor, type Page } from '../../shared/cursor.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { iso } from '../../shared/time.ts';
import { localDate, localMidnight } from '../analytics/calendar.ts';
import { managedTeam } from '../analytics/employee-visibility.ts';
import { listTeamEmployees } from '../analytics/analytics.repository.ts';
import { countScoresPerGroup } from '../analytics/score-source.ts';
import type { Actor } from '../auth/actor.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import * as repo from './notifications.repository.ts';
import type { ListNotificationsInput, NotificationJson } from './notifications.schemas.ts';

const DAY = 86_400_000;

/**
 * Days after a month ends before it is judged: an answer may still be changed for a week (the
 * surveys' default edit window), and a month is judged once, so it waits until it is settled. An
 * organisation whose surveys allow longer edits waits for the longest of them (up to 30 days):
 * a 2 a detractor changes to a 9 after a call must not leave a "real drop" note behind.
 */
export const SETTLE_DAYS = 7;

/** A calendar month in local time (Europe/Amsterdam), and the month before it. */
export interface MonthPeriod {
  /** `2026-10` */
  label: string;
  from: number;
  to: number;
  previousFrom: number;
}

const label = (year: number, month0: number) => `${year}-${String(month0 + 1).padStart(2, '0')}`;

/** The month `2026-10` with its bounds (local midnights) and the start of the month before. */
export function monthPeriod(period: string): MonthPeriod {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return {
    label: period,
    from: localMidnight(year, month - 1, 1),
    to: localMidnight(year, month, 1),
    previousFrom: localMidnight(year, month - 2, 1),
  };
}

/** The latest month that ended at least `settleDays` (`SETTLE_DAYS`) before `now`. */
export function settledMonth(now: number, settleDays = SETTLE_DAYS): MonthPeriod {
  const d = localDate(now - settleDays * DAY);
  // The month containing (now − settle days) has not ended long enough ago: take the one before.
  const year = d.month === 0 ? d.year - 1 : d.year;
  const month0 = d.month === 0 ? 11 : d.month - 1;
  return monthPeriod(label(year, month0));
}

async function employeeNpsEnabled(db: Executor, organisationId: string): Promise<boolean> {
  const org = await findOrganisation(db, organisationId);
  return org ? parseSettings(org.settings).employeeNpsEnabled : false;
}

/** Each group's counts in the month before and the month judged ('' — nobody's — left out). */
async function periodsPer(
  db: Executor,
  organisationId: string,
  dimension: 'employee' | 'team',
  p: MonthPeriod,
  now: number,
): Promise<GroupPeriods[]> {
  const base = { organisationId, scope: { kind: 'all' as const } };
  const before = await countScoresPerGroup(
    db,
    { ...base, from: p.previousFrom, to: p.from },
    dimension,
    now,
  );
  const after = await countScoresPerGroup(db, { ...base, from: p.from, to: p.to }, dimension, now);
  const empty: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  const keys = [...new Set([...before.keys(), ...after.keys()])].filter((k) => k !== '').sort();
  return keys.map((key) => {
    const b = before.get(key);
    const a = after.get(key);
    return {
      key,
      before: b ? countsFromDistribution(b) : empty,
      after: a ? countsFromDistribution(a) : empty,
    };
  });
}

/**
 * The celebrate/attention notes of one organisation for one month: every account manager and
 * every team judged against the month before (`judgeGroupChanges`: the prior fitted from all of
 * them in both months; a note needs a posterior probability of 0.975 and ten answers in each
 * month). Counts come from the rollups. Idempotent: a subject gets at most one note per month
 * (unique key), so running it again adds nothing. Nothing when the organisation has switched NPS
 * per employee off.
 */
export async function evaluateOrganisation(
  db: Executor,
  organisationId: string,
  period: MonthPeriod,
  now: number,
): Promise<{ judged: number; created: number } | null> {
  if (!(await employeeNpsEnabled(db, organisationId))) return null;
  const rows: NotificationTable[] = [];
  let judged = 0;
  for (const dimension of ['employee', 'team'] as const) {
    const groups = await periodsPer(db, organisationId, dimension, period, now);
    for (const g of judgeGroupChanges(groups)) {
      judged++;
      if (g.verdict === null || g.before === null || g.after === null) continue;
      rows.push({
        id: newId(),
        organisation_id: organisationId,
        kind: g.verdict,
        subject_kind: dimension,
        subject_key: g.key,
        period: period.label,
        period_from: period.from,
        period_to: period.to,
        previous_from: period.previousFrom,
        answers_before: g.answersBefore,
        answers_after: g.answersAfter,
        nps_before: g.before,
        nps_after: g.after,
        probability_of_rise: g.probabilityOfRise ?? 0.5,
        created_at: now,
      });
    }
  }
  return { judged, created: await repo.insertNotifications(db, rows) };
}

/**
 * The notes an actor sees: an account manager those about themselves (none without a linked
 * employee), a manager whose employee record is in a team those about the team's members,
 * themselves and the team; every other role all of them. The same reading as the breakdown.
 */
async function visibility(db: Executor, actor: Actor): Promise<repo.NotificationVisibility> {
  if (actor.role === 'account_manager') {
    return { kind: 'some', employeeIds: actor.employeeId ? [actor.employeeId] : [], team: null };
  }
  const team = await managedTeam(db, actor);
  if (team === null) return { kind: 'all' };
  const members = await listTeamEmployees(db, actor.organisationId, team);
  const ids = new Set([
    ...members.map((m) => m.id),
    ...(actor.employeeId ? [actor.employeeId] : []),
  ]);
  return { kind: 'some', employeeIds: [...ids], team };
}

async function readable(db: Executor, actor: Actor): Promise<repo.NotificationVisibility> {
  if (!(await employeeNpsEnabled(db, actor.organisationId))) {
    throw new AppError('employee_nps_disabled');
  }
  return visibility(db, actor);
}

const sees = (v: repo.NotificationVisibility) =>
  v.kind === 'all' || v.employeeIds.length > 0 || v.team !== null;

export function presentNotification(row: repo.NotificationRow): NotificationJson {
  return {
    id: row.id,
    kind: row.kind,
    subject: {
      kind: row.subject_kind,
      id: row.subject_kind === 'employee' ? row.subject_key : null,
      name: row.subject_kind === 'employee' ? row.employee_name : row.subject_key,
    },
    period: row.period,
    current: { from: iso(row.period_from), to: iso(row.period_to) },
    previous: { from: iso(row.previous_from), to: iso(row.period_from) },
    before: { nps: row.nps_before, answers: row.answers_before },
    after: { nps: row.nps_after, answers: row.answers_after },
    probabilityOfRise: row.probability_of_rise,
    createdAt: iso(row.created_at),
    readAt: iso(row.read_at),
  };
}

/** The feed, newest first, with whether this reader has read each note. */
export async function listNotifications(
  db: Executor,
  actor: Actor,
  input: ListNotificationsInput,
): Promise<Page<NotificationJson>> {
  const v = await readable(db, actor);
  if (!sees(v)) return { items: [], nextCursor: null };
  const rows = await repo.listNotifications(db, actor.organisationId, v, actor.id, {
    status: input.status,
    limit: input.limit,
    cursor: input.cursor ? decodeCursor(input.cursor) : undefined,
  });
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(presentNotification),
    nextCursor:
      rows.length > input.limit && last
        ? encodeCursor({ createdAt: last.created_at, id: last.id })
        : null,
  };
}

/** Marks a note the actor sees as read by them (404 for one they do not see). */
export async function markNotificationRead(
  db: Executor,
  actor: Actor,
  id: string,
  now: number,
): Promise<NotificationJson> {
  const v = await readable(db, actor);
  const found = sees(v)
    ? await repo.findNotification(db, actor.organisationId, v, actor.id, id)
    : null;
  if (!found) throw notFound('notification');
  await repo.markRead(db, actor.organisationId, id, actor.id, now);
  const read = await repo.findNotification(db, actor.organisationId, v, actor.id, id);
  if (!read) throw notFound('notification');
  return presentNotification(read);
}
