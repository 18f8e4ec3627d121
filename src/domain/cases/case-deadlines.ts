import { addWorkingDays } from '../calendar/working-time.ts';
import type { WorkingCalendar } from '../calendar/working-time.ts';
import type { CaseSettings } from './case-settings.ts';
import type { CaseStatus } from './case-state.ts';
import type { CaseKind } from './decide-case.ts';

/**
 * When the first contact is due: `firstContactWorkingDays` (default 2) of office time after the
 * case opened, weekends, holidays and closed days not counted. A thank-you task gets
 * `thanksWorkingDays`.
 */
export function firstContactDueAt(
  kind: CaseKind,
  openedAt: number,
  settings: CaseSettings,
  calendar: WorkingCalendar,
): number {
  const days = kind === 'recovery' ? settings.firstContactWorkingDays : settings.thanksWorkingDays;
  return addWorkingDays(openedAt, days, calendar);
}

export type EscalationFacts = Readonly<{
  kind: CaseKind;
  status: CaseStatus;
  dueAt: number;
  escalatedAt: number | null;
}>;

/**
 * A recovery case escalates to the owner's manager once: when its due time has passed and nobody
 * has contacted the customer yet. Contacted, closed, already escalated and thank-you tasks do not.
 */
export function shouldEscalate(c: EscalationFacts, now: number): boolean {
  return c.kind === 'recovery' && c.status === 'open' && c.escalatedAt === null && now >= c.dueAt;
}
