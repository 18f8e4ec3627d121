import { describe, expect, it } from 'vitest';
import { caseCalendar, DEFAULT_CASE_SETTINGS } from './case-settings.ts';
import { reportCaseGroup, reportCases } from './case-report.ts';
import type { CaseFacts } from './case-report.ts';

const at = (iso: string) => Date.parse(iso);
const cal = caseCalendar(DEFAULT_CASE_SETTINGS);
const HOUR = 3_600_000;
const MONDAY = at('2026-11-23T09:00+01:00');

const fact = (patch: Partial<CaseFacts> = {}): CaseFacts => ({
  ownerEmployeeId: 'e1',
  team: 'Service',
  openedForDetractor: true,
  status: 'resolved',
  openedAt: MONDAY,
  firstContactAt: MONDAY + 2 * HOUR,
  closedAt: MONDAY + 24 * HOUR,
  followUpScore: null,
  ...patch,
});

describe('the closed-loop report', () => {
  it('counts detractors won back among answered follow-ups, at 7+ and 9+, with Wilson intervals', () => {
    const r = reportCaseGroup(
      [
        fact({ followUpScore: 9 }),
        fact({ followUpScore: 7 }),
        fact({ followUpScore: 3 }),
        fact({ followUpScore: 10 }),
        fact({ followUpScore: null }),
        fact({ followUpScore: 10, openedForDetractor: false }), // a passive's case
        fact({ followUpScore: 10, status: 'unresolvable' }),
      ],
      MONDAY + 30 * 24 * HOUR,
      cal,
    );
    expect(r.followUpsAnswered).toBe(4);
    expect(r.wonBack7?.estimate).toBe(0.75);
    expect(r.wonBack9?.estimate).toBe(0.5);
    expect(r.wonBack9?.low).toBeGreaterThan(0);
    expect(r.wonBack9?.high).toBeLessThan(1);
    expect(r.wonBack9?.level).toBe(0.95);
  });

  it('says "unknown" (null) rather than 0% when nobody answered a follow-up', () => {
    const r = reportCaseGroup([fact()], MONDAY, cal);
    expect(r.wonBack7).toBeNull();
    expect(r.wonBack9).toBeNull();
  });

  it('measures time to first contact and to resolution in calendar hours and working days', () => {
    // Friday 16:00 → contacted Monday 10:00 (66 h; 2 working hours) → resolved Tuesday 17:00.
    const friday = at('2026-11-27T16:00+01:00');
    const r = reportCaseGroup(
      [
        fact({
          openedAt: friday,
          firstContactAt: at('2026-11-30T10:00+01:00'),
          closedAt: at('2026-12-01T17:00+01:00'),
        }),
      ],
      friday + 10 * 24 * HOUR,
      cal,
    );
    expect(r.firstContact).toEqual({ count: 1, medianHours: 66, medianWorkingDays: 0.25 });
    expect(r.resolution.medianHours).toBe(97);
    expect(r.resolution.medianWorkingDays).toBe(2.125);
  });

  it('takes the median, not the mean', () => {
    const r = reportCaseGroup(
      [1, 2, 100].map((h) => fact({ firstContactAt: MONDAY + h * HOUR })),
      MONDAY + 1000 * HOUR,
      cal,
    );
    expect(r.firstContact.medianHours).toBe(2);
  });

  it('shares closed within 48 hours among closed or 48-hour-old cases only', () => {
    const now = MONDAY + 72 * HOUR;
    const r = reportCaseGroup(
      [
        fact({ closedAt: MONDAY + 47 * HOUR }),
        fact({ closedAt: MONDAY + 49 * HOUR }),
        fact({ status: 'open', firstContactAt: null, closedAt: null }), // 72 h old: late
        fact({ status: 'open', openedAt: now - HOUR, firstContactAt: null, closedAt: null }), // too young
        fact({ status: 'changed_by_customer', closedAt: MONDAY + HOUR }), // not staff's work
      ],
      now,
      cal,
    );
    expect(r.closedWithin48h?.estimate).toBeCloseTo(1 / 3);
    expect(r).toMatchObject({ cases: 5, active: 2, resolved: 2, changedByCustomer: 1 });
  });

  it('splits per owner and per team', () => {
    const r = reportCases(
      [
        fact({ ownerEmployeeId: 'e1' }),
        fact({ ownerEmployeeId: 'e2', team: 'Verkoop' }),
        fact({ ownerEmployeeId: 'e1' }),
      ],
      MONDAY + 100 * HOUR,
      cal,
    );
    expect(r.overall.cases).toBe(3);
    expect(r.byOwner.map((g) => [g.ownerEmployeeId, g.cases])).toEqual([
      ['e1', 2],
      ['e2', 1],
    ]);
    expect(r.byTeam.map((g) => [g.team, g.cases])).toEqual([
      ['Service', 2],
      ['Verkoop', 1],
    ]);
  });
});
