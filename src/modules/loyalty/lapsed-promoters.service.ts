import type { Executor } from '../../db/database.ts';
import type { LoyaltyTaskTable } from '../../db/schema.ts';
import {
  DEFAULT_FIXED_INTERVALS,
  LAPSE_GRACE_DAYS,
  isLapsed,
  visitRhythm,
} from '../../domain/loyalty/visit-rhythm.ts';
import { notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { iso } from '../../shared/time.ts';
import type { Actor } from '../auth/actor.ts';
import { recordScope } from '../auth/record-scope.ts';
import * as repo from './lapsed-promoters.repository.ts';
import type { LoyaltyTaskJson } from './loyalty.schemas.ts';

const DAY = 86_400_000;

/**
 * "Tevreden, maar niet teruggekomen": finds the promoters of one organisation who did not return
 * within their usual interval (or their last visit's fixed one: APK yearly) plus a grace period,
 * and makes a task for each one's account manager. The unique key (contact, expected return)
 * keeps it to one task per contact per interval, however often the sweep runs.
 */
export async function sweepLapsedPromoters(
  db: Executor,
  organisationId: string,
  now: number,
): Promise<{ candidates: number; created: number }> {
  // Nobody is lapsed before a day's interval and the grace have passed since their last visit.
  const candidates = await repo.promoterCandidates(
    db,
    organisationId,
    now - (LAPSE_GRACE_DAYS + 1) * DAY,
  );
  const rows: LoyaltyTaskTable[] = [];
  for (const c of candidates) {
    const rhythm = visitRhythm(
      {
        firstVisitAt: c.firstAt,
        lastVisitAt: c.lastAt,
        visitDays: c.days,
        fixedIntervalDays:
          c.lastKindKey === null ? null : (DEFAULT_FIXED_INTERVALS[c.lastKindKey] ?? null),
      },
      now,
    );
    if (!isLapsed(rhythm, now) || rhythm.dueAt === null) continue;
    rows.push({
      id: newId(),
      organisation_id: organisationId,
      contact_id: c.contactId,
      kind: 'lapsed_promoter',
      owner_employee_id: c.ownerEmployeeId,
      score: c.score,
      last_visit_at: c.lastAt,
      interval_days: Math.round((rhythm.dueAt - c.lastAt) / DAY),
      due_at: rhythm.dueAt,
      done_at: null,
      done_by: null,
      created_at: now,
    });
  }
  const created = await repo.insertTasks(db, rows);
  return { candidates: candidates.length, created };
}

/** The daily sweep over every organisation with promoters. */
export async function sweepAllOrganisations(
  db: Executor,
  now: number,
): Promise<{ organisations: number; created: number }> {
  let created = 0;
  const organisations = await repo.organisationsWithPromoters(db);
  for (const organisationId of organisations) {
    created += (await sweepLapsedPromoters(db, organisationId, now)).created;
  }
  return { organisations: organisations.length, created };
}

export function presentTask(row: repo.TaskRow): LoyaltyTaskJson {
  return {
    id: row.id,
    kind: row.kind,
    contact: { id: row.contact_id, name: row.contact_name, email: row.contact_email },
    owner: row.owner_employee_id ? { id: row.owner_employee_id, name: row.owner_name } : null,
    score: row.score,
    lastVisitAt: iso(row.last_visit_at),
    intervalDays: row.interval_days,
    expectedAt: iso(row.due_at),
    createdAt: iso(row.created_at),
    doneAt: iso(row.done_at),
  };
}

/** Tasks within the actor's record scope: an account manager sees their own customers' only. */
export async function listTasks(
  db: Executor,
  actor: Actor,
  status: 'open' | 'done' | 'all',
  limit: number,
): Promise<{ items: LoyaltyTaskJson[] }> {
  const rows = await repo.listTasks(db, actor.organisationId, recordScope(actor), status, limit);
  return { items: rows.map(presentTask) };
}

export async function completeTask(
  db: Executor,
  actor: Actor,
  id: string,
  now: number,
): Promise<LoyaltyTaskJson> {
  const scope = recordScope(actor);
  const task = await repo.findTask(db, actor.organisationId, scope, id);
  if (!task) throw notFound('task');
  await repo.markDone(db, actor.organisationId, id, actor.kind === 'user' ? actor.id : null, now);
  const done = await repo.findTask(db, actor.organisationId, scope, id);
  if (!done) throw notFound('task');
  return presentTask(done);
}
