import { describe, expect, it } from 'vitest';
import { caseSettingsSchema, DEFAULT_CASE_SETTINGS } from './case-settings.ts';
import { decideCase, matchThemeWords } from './decide-case.ts';
import type { CaseAnswer } from './decide-case.ts';
import { categorise } from '../scoring/nps.ts';

const answer = (score: number, extra: Partial<CaseAnswer> = {}): CaseAnswer => ({
  score,
  category: categorise(score),
  mayContact: false,
  comment: null,
  ...extra,
});
const settings = (patch: object) => caseSettingsSchema.parse(patch);

describe('which answers open a case', () => {
  it('opens a recovery case for every detractor, 0 to 6', () => {
    for (let s = 0; s <= 6; s++) {
      expect(decideCase(answer(s), DEFAULT_CASE_SETTINGS)).toMatchObject({
        kind: 'recovery',
        reasons: ['detractor'],
      });
    }
  });

  it('opens nothing for a passive or promoter who did not ask for contact', () => {
    expect(decideCase(answer(7), DEFAULT_CASE_SETTINGS)).toBeNull();
    expect(decideCase(answer(8), DEFAULT_CASE_SETTINGS)).toBeNull();
    expect(decideCase(answer(10), DEFAULT_CASE_SETTINGS)).toBeNull();
  });

  it('opens a case for a passive who asked to be contacted, unless switched off', () => {
    expect(decideCase(answer(8, { mayContact: true }), DEFAULT_CASE_SETTINGS)).toMatchObject({
      kind: 'recovery',
      reasons: ['contact-request'],
    });
    const off = settings({ openFor: { contactRequests: false } });
    expect(decideCase(answer(8, { mayContact: true }), off)).toBeNull();
  });

  it('opens a case for every passive when the organisation chooses so', () => {
    expect(decideCase(answer(7), settings({ openFor: { passives: true } }))).toMatchObject({
      reasons: ['passive'],
      priority: 'low',
    });
  });

  it('opens a case for a theme word in the comment, even from a promoter', () => {
    const s = settings({ openFor: { themeWords: ['klacht', 'factuur'] } });
    expect(
      decideCase(answer(9, { comment: 'Prima, maar weer een Klácht over de factuur' }), s),
    ).toMatchObject({
      kind: 'recovery',
      reasons: ['theme-word'],
      themeWords: ['klacht', 'factuur'],
    });
    expect(decideCase(answer(9, { comment: 'Geen aanklacht hoor' }), s)).toBeNull();
  });

  it('gives a promoter who may be contacted a thank-you task, unless switched off', () => {
    expect(decideCase(answer(10, { mayContact: true }), DEFAULT_CASE_SETTINGS)).toEqual({
      kind: 'thanks',
      reasons: ['promoter'],
      priority: 'low',
      themeWords: [],
    });
    expect(
      decideCase(answer(10, { mayContact: true }), settings({ promoterThanks: false })),
    ).toBeNull();
  });

  it('opens nothing when cases are switched off', () => {
    expect(decideCase(answer(0, { mayContact: true }), settings({ enabled: false }))).toBeNull();
  });

  it('lists every reason that applies', () => {
    const s = settings({ openFor: { themeWords: ['klacht'] } });
    expect(decideCase(answer(2, { mayContact: true, comment: 'klacht!' }), s)?.reasons).toEqual([
      'detractor',
      'contact-request',
      'theme-word',
    ]);
  });
});

describe('case priority', () => {
  it('is high for 0–4, normal for 5–6', () => {
    expect(decideCase(answer(4), DEFAULT_CASE_SETTINGS)?.priority).toBe('high');
    expect(decideCase(answer(5), DEFAULT_CASE_SETTINGS)?.priority).toBe('normal');
    expect(decideCase(answer(6), DEFAULT_CASE_SETTINGS)?.priority).toBe('normal');
  });

  it('goes one step up for "asked to be contacted" and one for a valuable customer', () => {
    const s = settings({ highValueFrom: 10_000 });
    expect(decideCase(answer(5, { mayContact: true }), s)?.priority).toBe('high');
    expect(decideCase(answer(5, { customerValue: 10_000 }), s)?.priority).toBe('high');
    expect(decideCase(answer(5, { customerValue: 9_999 }), s)?.priority).toBe('normal');
    expect(decideCase(answer(2, { mayContact: true, customerValue: 50_000 }), s)?.priority).toBe(
      'urgent',
    );
    expect(decideCase(answer(5, { customerValue: 50_000 }), DEFAULT_CASE_SETTINGS)?.priority).toBe(
      'normal',
    );
  });
});

describe('theme words', () => {
  it('matches the start of a word, folded, once each', () => {
    expect(matchThemeWords('KLACHTEN, klacht', ['Klacht'])).toEqual(['klacht']);
    expect(matchThemeWords('te laat geleverd', ['laat', 'duur'])).toEqual(['laat']);
    expect(matchThemeWords(null, ['laat'])).toEqual([]);
    expect(matchThemeWords('laat', [])).toEqual([]);
  });
});

describe('case settings', () => {
  it('default to two working days, 09:00–17:00 on weekdays, Good Friday open, Liberation Day per lustrum', () => {
    expect(DEFAULT_CASE_SETTINGS.firstContactWorkingDays).toBe(2);
    expect(DEFAULT_CASE_SETTINGS.officeHours).toEqual({
      days: [1, 2, 3, 4, 5],
      opensAt: 540,
      closesAt: 1020,
    });
    expect(DEFAULT_CASE_SETTINGS.holidays).toEqual({ goodFriday: false, liberationDay: 'lustrum' });
  });

  it('refuse closing before opening, a date that does not exist, an unknown field', () => {
    expect(
      caseSettingsSchema.safeParse({ officeHours: { opensAt: 600, closesAt: 540 } }).success,
    ).toBe(false);
    expect(caseSettingsSchema.safeParse({ closedDates: ['2026-02-30'] }).success).toBe(false);
    expect(caseSettingsSchema.safeParse({ whatever: 1 }).success).toBe(false);
  });
});
