import { describe, it, expect } from 'vitest';
import { DEFAULT_WORKING_CALENDAR, workingCalendar, zonedInstant } from '../calendar/index.ts';
import { DEFAULT_VISIT_TRIGGER, planVisitInvitation } from './visit-trigger.ts';

const at = (year: number, month: number, day: number, hour = 0, minute = 0) =>
  zonedInstant({ year, month, day }, hour * 60 + minute);
const visit = (visitedAt: number, kind: string | null = 'apk') => ({
  visitedAt,
  kindKey: kind,
  status: 'completed' as const,
});

describe('when to invite after a visit', () => {
  it('invites three days later at ten in the morning (Amsterdam time)', () => {
    // Monday 16 November 2026, 14:20 → Thursday 19 November 10:00 CET = 09:00 UTC.
    const decision = planVisitInvitation(
      visit(at(2026, 11, 16, 14, 20)),
      DEFAULT_VISIT_TRIGGER,
      at(2026, 11, 16, 15),
      DEFAULT_WORKING_CALENDAR,
    );
    expect(decision).toEqual({ send: true, at: Date.UTC(2026, 10, 19, 9, 0) });
  });

  it('moves a Sunday to Monday', () => {
    // Thursday 19 November + 3 = Sunday 22 → Monday 23 November 10:00.
    const decision = planVisitInvitation(
      visit(at(2026, 11, 19, 11)),
      DEFAULT_VISIT_TRIGGER,
      at(2026, 11, 19, 12),
      DEFAULT_WORKING_CALENDAR,
    );
    expect(decision).toEqual({ send: true, at: at(2026, 11, 23, 10) });
  });

  it('skips Christmas and Boxing Day (from the one Dutch calendar)', () => {
    // Tuesday 22 December 2026 + 3 = Friday 25 (Christmas); 26 is Saturday; → Monday 28.
    const decision = planVisitInvitation(
      visit(at(2026, 12, 22, 9)),
      DEFAULT_VISIT_TRIGGER,
      at(2026, 12, 22, 10),
      DEFAULT_WORKING_CALENDAR,
    );
    expect(decision).toEqual({ send: true, at: at(2026, 12, 28, 10) });
  });

  it('skips the organisation’s own closed days', () => {
    const calendar = workingCalendar({ closedDates: ['2026-11-19'] });
    const decision = planVisitInvitation(
      visit(at(2026, 11, 16, 9)),
      DEFAULT_VISIT_TRIGGER,
      at(2026, 11, 16, 10),
      calendar,
    );
    expect(decision).toEqual({ send: true, at: at(2026, 11, 20, 10) });
  });

  it('keeps summer time right: 10:00 in July is 08:00 UTC', () => {
    const decision = planVisitInvitation(
      visit(at(2026, 7, 6, 9)),
      DEFAULT_VISIT_TRIGGER,
      at(2026, 7, 6, 10),
      DEFAULT_WORKING_CALENDAR,
    );
    expect(decision).toEqual({ send: true, at: Date.UTC(2026, 6, 9, 8, 0) });
  });

  it('sends at the next working moment when the visit arrives a day after its planned moment', () => {
    // Planned Thursday 19 November 10:00; it arrives Friday 20 November 07:30 → 09:00 opening.
    const decision = planVisitInvitation(
      visit(at(2026, 11, 16, 9)),
      DEFAULT_VISIT_TRIGGER,
      at(2026, 11, 20, 7, 30),
      DEFAULT_WORKING_CALENDAR,
    );
    expect(decision).toEqual({ send: true, at: at(2026, 11, 20, 9) });
  });

  it('never triggers for a visit that arrives late', () => {
    // Planned Thursday 19 November 10:00; two days and a minute later is too late.
    const decision = planVisitInvitation(
      visit(at(2026, 11, 16, 9)),
      DEFAULT_VISIT_TRIGGER,
      at(2026, 11, 21, 10, 1),
      DEFAULT_WORKING_CALENDAR,
    );
    expect(decision).toEqual({ send: false, reason: 'visit_late' });
  });

  it('triggers only for the chosen kinds', () => {
    const rule = { ...DEFAULT_VISIT_TRIGGER, kinds: ['apk', 'onderhoud'] };
    const now = at(2026, 11, 16, 10);
    expect(
      planVisitInvitation(visit(now, 'onderhoud'), rule, now, DEFAULT_WORKING_CALENDAR).send,
    ).toBe(true);
    expect(
      planVisitInvitation(visit(now, 'bestelling'), rule, now, DEFAULT_WORKING_CALENDAR),
    ).toEqual({
      send: false,
      reason: 'visit_kind',
    });
    expect(planVisitInvitation(visit(now, null), rule, now, DEFAULT_WORKING_CALENDAR)).toEqual({
      send: false,
      reason: 'visit_kind',
    });
  });

  it('never triggers for a cancellation or a refund', () => {
    const now = at(2026, 11, 16, 10);
    for (const status of ['cancelled', 'refund'] as const) {
      expect(
        planVisitInvitation(
          { visitedAt: now, kindKey: 'apk', status },
          DEFAULT_VISIT_TRIGGER,
          now,
          DEFAULT_WORKING_CALENDAR,
        ),
      ).toEqual({ send: false, reason: 'visit_not_completed' });
    }
  });

  it('honours another delay and hour', () => {
    const rule = { ...DEFAULT_VISIT_TRIGGER, delayDays: 1, sendAtMinute: 14 * 60 + 30 };
    const decision = planVisitInvitation(
      visit(at(2026, 11, 16, 9)),
      rule,
      at(2026, 11, 16, 10),
      DEFAULT_WORKING_CALENDAR,
    );
    expect(decision).toEqual({ send: true, at: at(2026, 11, 17, 14, 30) });
  });

  it('sends at the planned moment itself when it is now, even before opening time', () => {
    // Planned Thursday 19 November 08:00, an hour before the office opens; it is exactly 08:00.
    const rule = { ...DEFAULT_VISIT_TRIGGER, sendAtMinute: 8 * 60 };
    const planned = at(2026, 11, 19, 8);
    expect(
      planVisitInvitation(visit(at(2026, 11, 16, 9)), rule, planned, DEFAULT_WORKING_CALENDAR),
    ).toEqual({ send: true, at: planned });
  });

  it('still invites a visit that arrives exactly at the end of the late window', () => {
    // Planned Thursday 19 November 10:00; exactly two days later is not yet late (Saturday, so
    // the next working moment is Monday's opening).
    expect(
      planVisitInvitation(
        visit(at(2026, 11, 16, 9)),
        DEFAULT_VISIT_TRIGGER,
        at(2026, 11, 21, 10),
        DEFAULT_WORKING_CALENDAR,
      ),
    ).toEqual({ send: true, at: at(2026, 11, 23, 9) });
  });

  it('gives up looking for an open day a year after the visit, on a calendar closed that long', () => {
    // Closed every day from the planned day for 400 days: the search stops 366 days on.
    const closedDates = Array.from({ length: 400 }, (_, i) =>
      new Date(Date.UTC(2026, 10, 19 + i)).toISOString().slice(0, 10),
    );
    const closed = workingCalendar({ officeHours: { days: [0, 1, 2, 3, 4, 5, 6] }, closedDates });
    expect(
      planVisitInvitation(
        visit(at(2026, 11, 16, 9)),
        DEFAULT_VISIT_TRIGGER,
        at(2026, 11, 16, 10),
        closed,
      ),
    ).toEqual({ send: true, at: at(2027, 11, 20, 10) });
  });
});
