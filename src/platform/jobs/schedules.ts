import type { Deps } from '../deps.ts';
import { enqueue } from './define-job.ts';

const AMSTERDAM = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * The latest moment a daily schedule came due at or before `now`, as a key (`2026-11-29`): today
 * once the local time has passed `dailyAt`, else null (yesterday's moment was enqueued yesterday,
 * or — on a worker's first day — is simply not made up for). With `weekday` (ISO, 1 = Monday)
 * only that day of the week has a due moment.
 */
export function dueMoment(dailyAt: string, now: number, weekday?: number): string | null {
  const parts = Object.fromEntries(
    AMSTERDAM.formatToParts(new Date(now)).map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const local = `${parts.hour}:${parts.minute}`;
  if (local < dailyAt) return null;
  if (weekday !== undefined && WEEKDAYS.indexOf(parts.weekday ?? '') + 1 !== weekday) return null;
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * Enqueues each schedule's current due moment, once: the job's dedupe key is the schedule's name
 * and the moment, so however many workers do this at the same time one job exists, and the claim
 * lets one worker run it. `seen` remembers per worker what it already enqueued.
 */
export async function enqueueDueSchedules(deps: Deps, seen: Map<string, string>): Promise<void> {
  const now = deps.now();
  for (const schedule of deps.platform.schedules) {
    const moment = dueMoment(schedule.dailyAt, now, schedule.weekday);
    if (moment === null || seen.get(schedule.name) === moment) continue;
    await enqueue(
      deps.db.kysely,
      schedule.job,
      {},
      { organisationId: null, now, dedupeKey: `schedule:${schedule.name}:${moment}` },
    );
    seen.set(schedule.name, moment);
  }
}
