import { workingDaysBetween } from '../calendar/working-time.ts';
import type { WorkingCalendar } from '../calendar/working-time.ts';
import { wilsonInterval } from '../statistics/proportions.ts';
import type { ProportionInterval } from '../statistics/proportions.ts';
import type { CaseStatus } from './case-state.ts';

/** The facts of one recovery case the report needs. */
export type CaseFacts = Readonly<{
  ownerEmployeeId: string | null;
  team: string | null;
  /** Category of the answer that opened the case. */
  openedForDetractor: boolean;
  status: CaseStatus;
  openedAt: number;
  firstContactAt: number | null;
  closedAt: number | null;
  /** The 0–10 answer to the follow-up after the case was resolved, when given. */
  followUpScore: number | null;
}>;

export type Durations = Readonly<{
  /** Cases with this moment. */
  count: number;
  medianHours: number | null;
  medianWorkingDays: number | null;
}>;

export type CaseGroupReport = Readonly<{
  cases: number;
  active: number;
  resolved: number;
  unresolvable: number;
  changedByCustomer: number;
  /** Detractor cases whose customer answered the follow-up. */
  followUpsAnswered: number;
  /** Share of those that answered 7 or more (no longer a detractor). */
  wonBack7: ProportionInterval | null;
  /** Share of those that answered 9 or more (now a promoter). */
  wonBack9: ProportionInterval | null;
  firstContact: Durations;
  resolution: Durations;
  /**
   * Share closed (resolved or not resolvable) within 48 calendar hours, among cases that are
   * closed or at least 48 hours old, so a case opened this morning is not yet counted as late.
   */
  closedWithin48h: ProportionInterval | null;
}>;

export type CaseReport = Readonly<{
  overall: CaseGroupReport;
  byOwner: ReadonlyArray<Readonly<{ ownerEmployeeId: string | null }> & CaseGroupReport>;
  byTeam: ReadonlyArray<Readonly<{ team: string | null }> & CaseGroupReport>;
}>;

const HOUR = 3_600_000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function durations(
  pairs: ReadonlyArray<readonly [number, number]>,
  calendar: WorkingCalendar,
): Durations {
  return {
    count: pairs.length,
    medianHours: median(pairs.map(([a, b]) => (b - a) / HOUR)),
    medianWorkingDays: median(pairs.map(([a, b]) => workingDaysBetween(a, b, calendar))),
  };
}

const isClosedByStaff = (s: CaseStatus) => s === 'resolved' || s === 'unresolvable';

/**
 * The closed-loop report for one group of recovery cases: how many, how fast (median time to
 * first contact and to resolution, in calendar hours and in working days), the share closed within
 * 48 hours, and — the figure nobody else measures — the share of detractors won back: of the
 * resolved detractor cases whose customer answered the follow-up, how many scored 7+ and 9+, with
 * Wilson intervals as everywhere in Loyaal. Cases closed because the customer changed the answer
 * count as cases but in none of the durations.
 */
export function reportCaseGroup(
  cases: readonly CaseFacts[],
  now: number,
  calendar: WorkingCalendar,
  level = 0.95,
): CaseGroupReport {
  const followUps = cases.filter(
    (c) => c.openedForDetractor && c.status === 'resolved' && c.followUpScore !== null,
  );
  const won7 = followUps.filter((c) => (c.followUpScore ?? 0) >= 7).length;
  const won9 = followUps.filter((c) => (c.followUpScore ?? 0) >= 9).length;
  const staffCases = cases.filter((c) => c.status !== 'changed_by_customer');
  const firstContacts = staffCases.flatMap((c) =>
    c.firstContactAt !== null ? [[c.openedAt, c.firstContactAt] as const] : [],
  );
  const resolutions = staffCases.flatMap((c) =>
    isClosedByStaff(c.status) && c.closedAt !== null ? [[c.openedAt, c.closedAt] as const] : [],
  );
  const due48 = staffCases.filter(
    (c) => (isClosedByStaff(c.status) && c.closedAt !== null) || now - c.openedAt >= 48 * HOUR,
  );
  const within48 = due48.filter(
    (c) => isClosedByStaff(c.status) && c.closedAt !== null && c.closedAt - c.openedAt <= 48 * HOUR,
  );
  return {
    cases: cases.length,
    active: cases.filter((c) => c.status === 'open' || c.status === 'contacted').length,
    resolved: cases.filter((c) => c.status === 'resolved').length,
    unresolvable: cases.filter((c) => c.status === 'unresolvable').length,
    changedByCustomer: cases.filter((c) => c.status === 'changed_by_customer').length,
    followUpsAnswered: followUps.length,
    wonBack7: wilsonInterval(won7, followUps.length, level),
    wonBack9: wilsonInterval(won9, followUps.length, level),
    firstContact: durations(firstContacts, calendar),
    resolution: durations(resolutions, calendar),
    closedWithin48h: wilsonInterval(within48.length, due48.length, level),
  };
}

function groupBy<K>(cases: readonly CaseFacts[], key: (c: CaseFacts) => K): Map<K, CaseFacts[]> {
  const groups = new Map<K, CaseFacts[]>();
  for (const c of cases) {
    const k = key(c);
    const list = groups.get(k);
    if (list) list.push(c);
    else groups.set(k, [c]);
  }
  return groups;
}

/** The report overall, per owner and per team (groups in order of first appearance). */
export function reportCases(
  cases: readonly CaseFacts[],
  now: number,
  calendar: WorkingCalendar,
  level = 0.95,
): CaseReport {
  return {
    overall: reportCaseGroup(cases, now, calendar, level),
    byOwner: [...groupBy(cases, (c) => c.ownerEmployeeId)].map(([ownerEmployeeId, list]) => ({
      ownerEmployeeId,
      ...reportCaseGroup(list, now, calendar, level),
    })),
    byTeam: [...groupBy(cases, (c) => c.team)].map(([team, list]) => ({
      team,
      ...reportCaseGroup(list, now, calendar, level),
    })),
  };
}
