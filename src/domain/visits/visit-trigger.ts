import {
  addDays,
  isWorkingDay,
  localDateOf,
  nextWorkingMoment,
  zonedInstant,
  type WorkingCalendar,
} from '../calendar/index.ts';
import type { VisitStatus } from './visit-record.ts';

/**
 * "Invite N days after a visit of kind X": when the invitation for one visit goes out, or why none
 * does. The contact-frequency rules (at most once or twice a year) are applied afterwards by the
 * send planning, exactly as for any other send; this rule only decides the moment.
 */
export type VisitTriggerRule = Readonly<{
  /** Kind keys (see `kindKey`) that trigger; empty means every kind. */
  kinds: readonly string[];
  /** Days after the visit's local date (default 3). */
  delayDays: number;
  /** Local minute of the day to send at (default 10:00: read with the morning coffee, not at 03:00). */
  sendAtMinute: number;
  /**
   * A visit that reaches Loyaal more than this many days after its planned moment never triggers:
   * asking about a workshop visit of last month is odd, and importing history must not set off a
   * flood of invitations.
   */
  lateAfterDays: number;
}>;

export const DEFAULT_VISIT_TRIGGER: VisitTriggerRule = {
  kinds: [],
  delayDays: 3,
  sendAtMinute: 10 * 60,
  lateAfterDays: 2,
};

export type VisitTriggerDecision =
  | Readonly<{ send: true; at: number }>
  | Readonly<{ send: false; reason: 'visit_not_completed' | 'visit_kind' | 'visit_late' }>;

const DAY = 86_400_000;

/** Why the trigger does not ask about this visit at all — its status or its kind — or null. */
export function visitOutsideTrigger(
  visit: Readonly<{ kindKey: string | null; status: VisitStatus }>,
  rule: VisitTriggerRule,
): 'visit_not_completed' | 'visit_kind' | null {
  if (visit.status !== 'completed') return 'visit_not_completed';
  if (rule.kinds.length > 0 && !rule.kinds.some((kind) => kind === visit.kindKey)) {
    return 'visit_kind';
  }
  return null;
}

/**
 * The moment to invite after a visit: its local date plus `delayDays`, at `sendAtMinute`, moved
 * to the next working day when that day is a weekend, a Dutch holiday or a closed day of the
 * organisation (the one calendar of `domain/calendar`). A moment already past but within the late
 * window becomes the next working moment from now.
 */
export function planVisitInvitation(
  visit: Readonly<{ visitedAt: number; kindKey: string | null; status: VisitStatus }>,
  rule: VisitTriggerRule,
  now: number,
  calendar: WorkingCalendar,
): VisitTriggerDecision {
  const outside = visitOutsideTrigger(visit, rule);
  if (outside) return { send: false, reason: outside };
  let day = addDays(localDateOf(visit.visitedAt, calendar.timeZone), rule.delayDays);
  for (let i = 0; i < 366 && !isWorkingDay(day, calendar); i++) day = addDays(day, 1);
  const planned = zonedInstant(day, rule.sendAtMinute, calendar.timeZone);
  if (planned >= now) return { send: true, at: planned };
  if (now - planned > rule.lateAfterDays * DAY) return { send: false, reason: 'visit_late' };
  return { send: true, at: nextWorkingMoment(now, calendar) };
}
