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
 * or — on a worker's first day — is simply not made up for; a daily sweep catches up the next day).
 * With `weekday` (ISO, 1 = Monday) the moment is that day's of the current week, from its time on
 * until the week ends: a week's run missed because no worker ran that day is made up later in the
 * week, keyed by its own day, so it still runs once (the weekly digest).
 */
export function dueMoment(dailyAt: string, now: number, weekday?: number): string | null {
  const parts = Object.fromEntries(
    AMSTERDAM.formatToParts(new Date(now)).map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const local = `${parts.hour}:${parts.minute}`;
  const today = WEEKDAYS.indexOf(parts.weekday ?? '') + 1;
  const daysSince = weekday === undefined ? 0 : today - weekday;
  if (daysSince < 0 || (daysSince === 0 && local < dailyAt)) return null;
  const day = new Date(
    Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) - daysSince),
  );
  return day.toISOString().slice(0, 10);
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
