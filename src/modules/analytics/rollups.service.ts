import type { Db, Executor } from '../../db/database.ts';
import type { ResponseChannel } from '../../db/schema.ts';
import { addLocalDays, localDayFinder, startOfLocalDay, startOfLocalWeek } from './calendar.ts';
import * as repo from './rollups.repository.ts';
import { oneOrAll } from '../../platform/rebuild-command.ts';

/** What the rollups need to know of one stored answer (the `response.saved` facts). */
export interface AnswerFacts {
  organisationId: string;
  surveyId: string;
  channel: ResponseChannel;
  segment: string | null;
  ownerEmployeeId: string | null;
  /** The location (vestiging) the answer keeps; null for none. */
  locationId: string | null;
  answeredAt: number;
  score: number;
  /** The score this answer had before, when it is an edit. */
  previousScore: number | null;
}

/**
 * Keeps the rollups in step with answers: +1 on the new score, −1 on the replaced one, summed per
 * rollup key so a group of answers becomes one upsert per table (the daily one, the account
 * managers' daily and weekly ones, the locations'). An edit that keeps its score
 * changes nothing. Called in the answer's transaction; all its counts go to one shard of each key:
 * the transaction's (see rollups.repository.ts), or `shard` where the caller names one.
 */
export async function applyAnswers(
  db: Executor,
  answers: readonly AnswerFacts[],
  shard: repo.Shard = repo.transactionShard(db),
): Promise<void> {
  const daily = new Map<string, repo.DailyDelta>();
  const employee = new Map<string, repo.EmployeeDelta>();
  const employeeWeek = new Map<string, repo.EmployeeWeekDelta>();
  const location = new Map<string, repo.LocationDelta>();
  // A batch's answers fall on one day (or two, around midnight): its bounds are computed once.
  const dayOf = localDayFinder();
  const weeks = new Map<number, number>();
  const weekOf = (day: number) => {
    let week = weeks.get(day);
    if (week === undefined) {
      week = startOfLocalWeek(day);
      weeks.set(day, week);
    }
    return week;
  };
  for (const a of answers) {
    if (a.previousScore === a.score) continue;
    const day = dayOf(a.answeredAt);
    const segment = a.segment ?? '';
    const dailyKey = JSON.stringify([a.organisationId, day, a.surveyId, a.channel, segment]);
    let d = daily.get(dailyKey);
    if (!d) {
      d = {
        organisationId: a.organisationId,
        day,
        surveyId: a.surveyId,
        channel: a.channel,
        segment,
        counts: new Array<number>(11).fill(0),
      };
      daily.set(dailyKey, d);
    }
    bump(d.counts, a);
    if (a.ownerEmployeeId) {
      const employeeKey = JSON.stringify([a.organisationId, day, a.ownerEmployeeId]);
      let e = employee.get(employeeKey);
      if (!e) {
        e = {
          organisationId: a.organisationId,
          day,
          employeeId: a.ownerEmployeeId,
          counts: new Array<number>(11).fill(0),
        };
        employee.set(employeeKey, e);
      }
      bump(e.counts, a);
      const week = weekOf(day);
      const weekKey = JSON.stringify([a.organisationId, week, a.ownerEmployeeId]);
      let w = employeeWeek.get(weekKey);
      if (!w) {
        w = {
          organisationId: a.organisationId,
          week,
          employeeId: a.ownerEmployeeId,
          counts: new Array<number>(11).fill(0),
        };
        employeeWeek.set(weekKey, w);
      }
      bump(w.counts, a);
    }
    if (a.locationId) {
      const locationKey = JSON.stringify([a.organisationId, day, a.locationId]);
      let l = location.get(locationKey);
      if (!l) {
        l = {
          organisationId: a.organisationId,
          day,
          locationId: a.locationId,
          counts: new Array<number>(11).fill(0),
        };
        location.set(locationKey, l);
      }
      bump(l.counts, a);
    }
  }
  // A stable order of keys keeps concurrent transactions on PostgreSQL from deadlocking.
  const sorted = <T>(m: Map<string, T>) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  if (daily.size === 0) return;
  // One shard for the whole transaction: its rows stay in the stable order above.
  await repo.addDeltas(
    db,
    {
      daily: sorted(daily),
      employee: sorted(employee),
      employeeWeek: sorted(employeeWeek),
      location: sorted(location),
    },
    shard,
  );
}

function bump(counts: number[], a: AnswerFacts): void {
  counts[a.score] = (counts[a.score] ?? 0) + 1;
  if (a.previousScore !== null) counts[a.previousScore] = (counts[a.previousScore] ?? 0) - 1;
}

/**
 * Rebuilds the rollups of one organisation (or all) from the answers, day by day. Returns how many
 * organisations and days were rebuilt.
 */
export async function rebuildRollups(
  db: Db,
  organisationId?: string,
): Promise<{ organisations: number; days: number }> {
  const ids = oneOrAll(await repo.allOrganisationIds(db.kysely), organisationId);
  let days = 0;
  for (const id of ids) {
    const span = await repo.answerSpan(db.kysely, id);
    const bounds: number[] = [];
    const weeks: number[] = [];
    if (span) {
      for (let day = startOfLocalDay(span.first); day <= span.last; day = addLocalDays(day, 1)) {
        bounds.push(day);
      }
      bounds.push(addLocalDays(bounds[bounds.length - 1] ?? span.first, 1));
      for (
        let week = startOfLocalWeek(span.first);
        week <= span.last;
        week = addLocalDays(week, 7)
      ) {
        weeks.push(week);
      }
      weeks.push(addLocalDays(weeks[weeks.length - 1] ?? span.first, 7));
    }
    await repo.rebuildOrganisation(db, id, bounds, weeks);
    days += Math.max(0, bounds.length - 1);
  }
  return { organisations: ids.length, days };
}
