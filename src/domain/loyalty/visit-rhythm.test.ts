import { describe, it, expect } from 'vitest';
import { isLapsed, visitRhythm } from './visit-rhythm.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

describe('a customer’s visit rhythm', () => {
  it('takes the mean gap between visit days as the typical interval', () => {
    // Visits on day 0, 100 and 240: (240 − 0) / 2 = 120 days; due on day 360.
    const rhythm = visitRhythm(
      { firstVisitAt: T0, lastVisitAt: T0 + 240 * DAY, visitDays: 3, fixedIntervalDays: null },
      T0 + 300 * DAY,
    );
    expect(rhythm).toEqual({ typicalIntervalDays: 120, dueAt: T0 + 360 * DAY, due: false });
    expect(
      visitRhythm(
        { firstVisitAt: T0, lastVisitAt: T0 + 240 * DAY, visitDays: 3, fixedIntervalDays: null },
        T0 + 361 * DAY,
      ).due,
    ).toBe(true);
  });

  it('lets a fixed interval (APK, yearly) decide the due date', () => {
    const rhythm = visitRhythm(
      { firstVisitAt: T0, lastVisitAt: T0 + 100 * DAY, visitDays: 3, fixedIntervalDays: 365 },
      T0,
    );
    expect(rhythm).toMatchObject({ typicalIntervalDays: 50, dueAt: T0 + 465 * DAY });
  });

  it('has no interval after one visit, unless the kind has a fixed one', () => {
    expect(
      visitRhythm({ firstVisitAt: T0, lastVisitAt: T0, visitDays: 1, fixedIntervalDays: null }, T0),
    ).toEqual({
      typicalIntervalDays: null,
      dueAt: null,
      due: false,
    });
    expect(
      visitRhythm({ firstVisitAt: T0, lastVisitAt: T0, visitDays: 1, fixedIntervalDays: 365 }, T0)
        .dueAt,
    ).toBe(T0 + 365 * DAY);
  });

  it('is empty without visits', () => {
    expect(
      visitRhythm(
        { firstVisitAt: null, lastVisitAt: null, visitDays: 0, fixedIntervalDays: 365 },
        T0,
      ).due,
    ).toBe(false);
  });

  it('calls a customer lapsed two weeks after they were due', () => {
    const rhythm = visitRhythm(
      { firstVisitAt: T0, lastVisitAt: T0 + 100 * DAY, visitDays: 2, fixedIntervalDays: null },
      T0,
    );
    // due on day 200; lapsed after day 214.
    expect(isLapsed(rhythm, T0 + 214 * DAY)).toBe(false);
    expect(isLapsed(rhythm, T0 + 214 * DAY + 1)).toBe(true);
  });
});

describe('a customer’s visit rhythm at its edges', () => {
  it('has no typical interval without a known first visit, whatever the count says', () => {
    expect(
      visitRhythm(
        { firstVisitAt: null, lastVisitAt: T0 + 240 * DAY, visitDays: 3, fixedIntervalDays: null },
        T0 + 900 * DAY,
      ),
    ).toEqual({ typicalIntervalDays: null, dueAt: null, due: false });
  });

  it('is due only after the due moment, not at it', () => {
    const input = {
      firstVisitAt: T0,
      lastVisitAt: T0 + 100 * DAY,
      visitDays: 2,
      fixedIntervalDays: null,
    };
    expect(visitRhythm(input, T0 + 200 * DAY).due).toBe(false);
    expect(visitRhythm(input, T0 + 200 * DAY + 1).due).toBe(true);
  });

  it('never calls a customer without a due date lapsed', () => {
    const rhythm = { typicalIntervalDays: null, dueAt: null, due: false };
    expect(isLapsed(rhythm, T0 + 10_000 * DAY)).toBe(false);
  });
});
