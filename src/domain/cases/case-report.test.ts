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
    expect(r).toMatchObject({
      cases: 5,
      active: 2,
      resolved: 2,
      unresolvable: 0,
      changedByCustomer: 1,
    });
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

  it('takes the middle two of an even count, in any order', () => {
    const r = reportCaseGroup(
      [5, 1, 100, 3].map((h) => fact({ firstContactAt: MONDAY + h * HOUR })),
      MONDAY + 1000 * HOUR,
      cal,
    );
    // Sorted 1, 3, 5, 100: (3 + 5) / 2.
    expect(r.firstContact).toMatchObject({ count: 4, medianHours: 4 });
  });

  it('has no durations for cases nobody contacted or closed yet', () => {
    const r = reportCaseGroup(
      [fact({ status: 'open', firstContactAt: null, closedAt: null })],
      MONDAY + HOUR,
      cal,
    );
    expect(r.firstContact).toEqual({ count: 0, medianHours: null, medianWorkingDays: null });
    expect(r.resolution).toEqual({ count: 0, medianHours: null, medianWorkingDays: null });
    expect(r.closedWithin48h).toBeNull();
  });

  it('counts a case closed as not resolvable in the resolution time and the 48 hours', () => {
    const r = reportCaseGroup(
      [fact({ status: 'unresolvable', closedAt: MONDAY + 6 * HOUR })],
      MONDAY + 7 * HOUR,
      cal,
    );
    expect(r.resolution).toMatchObject({ count: 1, medianHours: 6 });
    expect(r.closedWithin48h?.estimate).toBe(1);
    expect(r).toMatchObject({ unresolvable: 1, resolved: 0, active: 0 });
  });

  it('does not count a reopened case, still carrying its old closing time, as closed', () => {
    const reopened = fact({ status: 'contacted', closedAt: MONDAY + 5 * HOUR });
    const young = reportCaseGroup([reopened], MONDAY + 10 * HOUR, cal);
    expect(young.resolution.count).toBe(0);
    expect(young.closedWithin48h).toBeNull(); // not closed, not yet 48 hours old
    expect(young.active).toBe(1);
    const old = reportCaseGroup([reopened], MONDAY + 50 * HOUR, cal);
    expect(old.closedWithin48h?.estimate).toBe(0);
  });

  it('counts 48 hours exactly as within, and a case exactly 48 hours old as due', () => {
    const now = MONDAY + 48 * HOUR;
    const r = reportCaseGroup(
      [
        fact({ closedAt: MONDAY + 48 * HOUR }),
        fact({ status: 'open', firstContactAt: null, closedAt: null }),
      ],
      now,
      cal,
    );
    expect(r.closedWithin48h?.estimate).toBe(0.5);
  });

  it('counts as won back at 9+ a 9 but not an 8', () => {
    const r = reportCaseGroup(
      [fact({ followUpScore: 9 }), fact({ followUpScore: 8 }), fact({ followUpScore: 8 })],
      MONDAY + 1000 * HOUR,
      cal,
    );
    expect(r.wonBack9?.estimate).toBeCloseTo(1 / 3, 12);
    expect(r.wonBack7?.estimate).toBe(1);
  });
});
