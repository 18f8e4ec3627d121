import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FORM_TIMING,
  botVerdict,
  checkFormToken,
  formTokenPayload,
  formatFormToken,
  judgeFormTiming,
  parseFormToken,
  type FormScope,
} from './form-timing.ts';

const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);
const SCOPE: FormScope = { organisationId: 'org-1', linkToken: 'link-aaaaaaaaaaaaaaaaaaaa' };
const SIG = 'A'.repeat(43);
/** A stand-in signature: the payload itself must match, as the real HMAC would require. */
const signs = (payload: string) => (p: string, s: string) => p === payload && s === SIG;

describe('the friend form’s timing rule', () => {
  const rule = DEFAULT_FORM_TIMING;

  it('takes a form sent between two seconds and a day after it was opened', () => {
    expect(judgeFormTiming(T0, T0 + 2_000, rule)).toBe('ok');
    expect(judgeFormTiming(T0, T0 + 45_000, rule)).toBe('ok');
    expect(judgeFormTiming(T0, T0 + 24 * 3_600_000, rule)).toBe('ok');
  });

  it('refuses a form sent faster than a person types, and one opened more than a day ago', () => {
    expect(judgeFormTiming(T0, T0, rule)).toBe('too_fast');
    expect(judgeFormTiming(T0, T0 + 1_999, rule)).toBe('too_fast');
    expect(judgeFormTiming(T0, T0 + 24 * 3_600_000 + 1, rule)).toBe('expired');
  });

  it('counts a moment in the future as too fast', () => {
    expect(judgeFormTiming(T0 + 60_000, T0, rule)).toBe('too_fast');
  });

  it('follows a configured minimum, zero included', () => {
    expect(judgeFormTiming(T0, T0, { ...rule, minMs: 0 })).toBe('ok');
    expect(judgeFormTiming(T0, T0 + 4_000, { ...rule, minMs: 5_000 })).toBe('too_fast');
  });
});

describe('the friend form’s token', () => {
  it('reads back the moment it was made with', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (at) => {
        expect(parseFormToken(formatFormToken(at, SIG))).toEqual({ issuedAt: at, signature: SIG });
      }),
    );
  });

  it('is not read from anything else', () => {
    for (const bad of [
      '',
      'v1',
      `v2.${T0.toString(36)}.${SIG}`,
      `v1.${T0.toString(36)}.${SIG}x`,
      `v1.${T0.toString(36)}.${SIG.slice(1)}`,
      `v1.-1.${SIG}`,
      `v1.${'z'.repeat(12)}.${SIG}`,
      `v1.${T0.toString(36)}.${'+'.repeat(43)}`,
      ` v1.${T0.toString(36)}.${SIG}`,
    ]) {
      expect(parseFormToken(bad), bad).toBeNull();
    }
    fc.assert(fc.property(fc.string(), (s) => void parseFormToken(s)));
  });

  it('signs the organisation, the link and the moment, so none can be swapped', () => {
    const payload = formTokenPayload(SCOPE, T0);
    expect(payload).toContain(SCOPE.organisationId);
    expect(payload).toContain(SCOPE.linkToken);
    expect(payload).toContain(String(T0));
    expect(formTokenPayload({ ...SCOPE, linkToken: 'other' }, T0)).not.toBe(payload);
    expect(formTokenPayload({ ...SCOPE, organisationId: 'org-2' }, T0)).not.toBe(payload);
    expect(formTokenPayload(SCOPE, T0 + 1)).not.toBe(payload);
  });

  it('checks presence, form, signature and then timing', () => {
    const rule = DEFAULT_FORM_TIMING;
    const verify = signs(formTokenPayload(SCOPE, T0));
    const token = formatFormToken(T0, SIG);
    expect(checkFormToken('', SCOPE, T0 + 5_000, rule, verify)).toBe('missing');
    expect(checkFormToken('nonsense', SCOPE, T0 + 5_000, rule, verify)).toBe('malformed');
    expect(checkFormToken(token, SCOPE, T0 + 5_000, rule, verify)).toBe('ok');
    expect(checkFormToken(token, SCOPE, T0 + 500, rule, verify)).toBe('too_fast');
    expect(checkFormToken(token, SCOPE, T0 + 25 * 3_600_000, rule, verify)).toBe('expired');
    // The moment changed in the token: the signature no longer covers it.
    const moved = formatFormToken(T0 - 60_000, SIG);
    expect(checkFormToken(moved, SCOPE, T0 + 5_000, rule, verify)).toBe('forged');
    // Another ambassador's link.
    const other = { ...SCOPE, linkToken: 'link-bbbbbbbbbbbbbbbbbbbb' };
    expect(checkFormToken(token, other, T0 + 5_000, rule, verify)).toBe('forged');
  });
});

describe('what a submit gets', () => {
  it('stores only a form without the hidden field and with a good token', () => {
    expect(botVerdict({ honeypot: '', token: 'ok' })).toBe('store');
  });

  it('pretends to thank software that fills the hidden field, whatever its token', () => {
    for (const token of ['ok', 'missing', 'forged', 'too_fast'] as const) {
      expect(botVerdict({ honeypot: 'https://spam.example', token })).toBe('pretend');
    }
  });

  it('asks a person to send again for every token problem', () => {
    for (const token of ['missing', 'malformed', 'forged', 'too_fast', 'expired'] as const) {
      expect(botVerdict({ honeypot: '', token })).toBe('ask_again');
    }
  });
});
