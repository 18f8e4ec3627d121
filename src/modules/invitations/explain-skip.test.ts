import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  DEFAULT_CONTACT_RULES,
  decideInvitation,
} from '../../domain/contact-rules/contact-rules.ts';
import { explainSkip, explainSkips, formatDay } from './explain-skip.ts';

const now = Date.UTC(2026, 10, 1, 9, 0, 0); // 1 November 2026, 10:00 in Amsterdam
const rules = DEFAULT_CONTACT_RULES;
const contact = {
  id: 'c1',
  unsubscribed: false,
  bounced: false,
  erased: false,
  hasEmail: true,
  consent: 'unknown' as const,
};

function reasonsFor(input: Partial<Parameters<typeof decideInvitation>[0]>) {
  const decision = decideInvitation({
    now,
    rules,
    contact,
    contactHistory: { invitedAt: [], lastRespondedAt: null },
    account: null,
    ...input,
  });
  if (decision.eligible) throw new Error('expected a skip');
  return decision.reasons;
}

describe('explaining skipped contacts', () => {
  it('formats days in Dutch and English in the Amsterdam time zone', () => {
    expect(formatDay(Date.UTC(2027, 2, 2, 23, 30), 'nl')).toBe('3 maart 2027');
    expect(formatDay(Date.UTC(2027, 2, 3, 12), 'en')).toBe('3 March 2027');
  });

  it('says a contact asked 40 days ago when they are eligible again', () => {
    const [reason] = reasonsFor({
      contactHistory: { invitedAt: [now - 40 * DAY_MS], lastRespondedAt: null },
    });
    if (!reason) throw new Error('no reason');
    const eligible = formatDay(now + 140 * DAY_MS, 'en');
    expect(explainSkip(reason, { locale: 'en', now, rules })).toBe(
      `asked 40 days ago — eligible again on ${eligible}`,
    );
    expect(explainSkip(reason, { locale: 'nl', now, rules })).toBe(
      `40 dagen geleden gevraagd — weer uit te nodigen op ${formatDay(now + 140 * DAY_MS, 'nl')}`,
    );
  });

  it('says the account was asked 12 days ago', () => {
    const [reason] = reasonsFor({
      account: {
        accountId: 'a1',
        invitations: [{ contactId: 'c2', invitedAt: now - 12 * DAY_MS }],
      },
    });
    if (!reason) throw new Error('no reason');
    expect(explainSkip(reason, { locale: 'en', now, rules })).toMatch(
      /^account asked 12 days ago — eligible again on /,
    );
  });

  it('names a future invitation as already scheduled rather than "asked 0 days ago"', () => {
    const [reason] = reasonsFor({
      contactHistory: { invitedAt: [now + 10 * DAY_MS], lastRespondedAt: null },
    });
    if (!reason) throw new Error('no reason');
    expect(explainSkip(reason, { locale: 'en', now, rules })).toMatch(
      /^already scheduled for 11 November 2026/,
    );
  });

  it('explains a recent response, the yearly maximum and state reasons', () => {
    const responded = reasonsFor({
      contactHistory: { invitedAt: [], lastRespondedAt: now - 3 * DAY_MS },
    });
    expect(explainSkips(responded, { locale: 'nl', now, rules })).toMatch(
      /^3 dagen geleden geantwoord/,
    );
    const many = reasonsFor({
      rules: { ...rules, minDaysBetweenInvitations: 0 },
      contactHistory: {
        invitedAt: [now - 100 * DAY_MS, now - 200 * DAY_MS],
        lastRespondedAt: null,
      },
    });
    expect(explainSkips(many, { locale: 'en', now, rules })).toMatch(
      /^asked 2 times in the last 365 days \(at most 2\)/,
    );
    const blocked = reasonsFor({
      contact: { ...contact, unsubscribed: true, bounced: true, hasEmail: false },
    });
    expect(explainSkips(blocked, { locale: 'en', now, rules })).toBe(
      'unsubscribed; email address unreachable (bounced); no email address',
    );
    expect(explainSkip({ code: 'unknown_contact' }, { locale: 'nl', now, rules })).toContain(
      'geen contact gevonden',
    );
  });
});
