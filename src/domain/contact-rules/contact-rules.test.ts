import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  DAY_MS,
  DEFAULT_CONTACT_RULES,
  REMINDER_SKIP_REASON_ORDER,
  SKIP_REASON_ORDER,
  assertValidContactRules,
  decideCaseFollowUp,
  decideInvitation,
  decideReminder,
  planBatch,
  resolveContactRules,
} from './contact-rules.ts';
import type {
  AccountHistory,
  BatchCandidate,
  ContactRules,
  ContactState,
  InvitationDecision,
  InvitationInput,
  ReminderInput,
  SkipCode,
  SkipReason,
} from './contact-rules.ts';

// ---------------------------------------------------------------------------------------------
// Builders

const NOW = Date.UTC(2025, 5, 1, 9, 0, 0);
const days = (n: number): number => n * DAY_MS;
const ago = (n: number): number => NOW - days(n);

function buildContact(overrides: Partial<ContactState> = {}): ContactState {
  return {
    id: 'c-1',
    unsubscribed: false,
    bounced: false,
    erased: false,
    hasEmail: true,
    consent: 'unknown',
    ...overrides,
  };
}

function buildInput(overrides: Partial<InvitationInput> = {}): InvitationInput {
  return {
    now: NOW,
    rules: DEFAULT_CONTACT_RULES,
    contact: buildContact(),
    contactHistory: { invitedAt: [], lastRespondedAt: null },
    account: null,
    ...overrides,
  };
}

function withHistory(invitedAt: number[], lastRespondedAt: number | null = null): InvitationInput {
  return buildInput({ contactHistory: { invitedAt, lastRespondedAt } });
}

function withAccount(
  invitations: AccountHistory['invitations'],
  rules: ContactRules = DEFAULT_CONTACT_RULES,
): InvitationInput {
  return buildInput({ rules, account: { accountId: 'acme', invitations } });
}

function codes(decision: InvitationDecision): SkipCode[] {
  return decision.eligible ? [] : decision.reasons.map((r) => r.code);
}

function reason<C extends SkipCode>(
  decision: InvitationDecision,
  code: C,
): Extract<SkipReason, { code: C }> {
  if (decision.eligible) throw new Error(`expected ${code}, but the contact is eligible`);
  const found = decision.reasons.find(
    (r): r is Extract<SkipReason, { code: C }> => r.code === code,
  );
  if (!found) throw new Error(`expected ${code}, got ${codes(decision).join(', ')}`);
  return found;
}

function eligibleFrom(decision: InvitationDecision): number | null | undefined {
  return decision.eligible ? undefined : decision.eligibleFrom;
}

// ---------------------------------------------------------------------------------------------

describe('contact rules settings', () => {
  it('defaults to twice a year, 180 days apart, one contact per account per 90 days, one reminder after 5 days', () => {
    expect(DEFAULT_CONTACT_RULES).toEqual({
      maxInvitationsPer365Days: 2,
      minDaysBetweenInvitations: 180,
      accountMaxContactsPerWindow: 1,
      accountWindowDays: 90,
      recentResponseDays: 180,
      reminderAfterDays: 5,
      maxReminders: 1,
    });
    expect(Object.isFrozen(DEFAULT_CONTACT_RULES)).toBe(true);
  });

  it('overlays an organisation’s overrides on the defaults, ignoring undefined', () => {
    const rules = resolveContactRules({
      maxInvitationsPer365Days: 1,
      minDaysBetweenInvitations: undefined,
    });
    expect(rules.maxInvitationsPer365Days).toBe(1);
    expect(rules.minDaysBetweenInvitations).toBe(180);
    expect(resolveContactRules()).toEqual(DEFAULT_CONTACT_RULES);
  });

  it('refuses settings that would send everything or nothing by accident', () => {
    const bad: Array<Partial<ContactRules>> = [
      { maxInvitationsPer365Days: 0 },
      { maxInvitationsPer365Days: 1.5 },
      { minDaysBetweenInvitations: -1 },
      { minDaysBetweenInvitations: Number.NaN },
      { accountMaxContactsPerWindow: 0 },
      { accountWindowDays: Infinity },
      { recentResponseDays: -5 },
      { reminderAfterDays: -1 },
      { maxReminders: 2 as 0 | 1 },
    ];
    for (const overrides of bad) {
      expect(() => resolveContactRules(overrides), JSON.stringify(overrides)).toThrow(RangeError);
      expect(() =>
        decideInvitation(buildInput({ rules: { ...DEFAULT_CONTACT_RULES, ...overrides } })),
      ).toThrow(RangeError);
    }
  });

  it('names the setting, its allowed range and the value in the error', () => {
    const cases: [Partial<ContactRules>, string][] = [
      [
        { maxInvitationsPer365Days: 0 },
        'contact rules: maxInvitationsPer365Days must be an integer ≥ 1, got 0',
      ],
      [
        { minDaysBetweenInvitations: -1 },
        'contact rules: minDaysBetweenInvitations must be a finite number ≥ 0, got -1',
      ],
      [
        { accountMaxContactsPerWindow: 0 },
        'contact rules: accountMaxContactsPerWindow must be an integer ≥ 1, got 0',
      ],
      [
        { accountWindowDays: Infinity },
        'contact rules: accountWindowDays must be a finite number ≥ 0, got Infinity',
      ],
      [
        { recentResponseDays: -5 },
        'contact rules: recentResponseDays must be a finite number ≥ 0, got -5',
      ],
      [
        { reminderAfterDays: -1 },
        'contact rules: reminderAfterDays must be a finite number ≥ 0, got -1',
      ],
      [
        { maxReminders: 2 as 0 | 1 },
        'contact rules: maxReminders must be an integer in [0, 1], got 2',
      ],
    ];
    for (const [overrides, message] of cases) {
      expect(() => resolveContactRules(overrides)).toThrow(new RangeError(message));
    }
  });

  it('names the time that is not finite', () => {
    expect(() => decideInvitation(buildInput({ now: Number.NaN }))).toThrow(
      new RangeError('now must be a finite time in ms, got NaN'),
    );
    expect(() => decideInvitation(withHistory([Infinity]))).toThrow(
      new RangeError('contactHistory.invitedAt must be a finite time in ms, got Infinity'),
    );
    expect(() => decideInvitation(withHistory([], Number.NaN))).toThrow(
      new RangeError('contactHistory.lastRespondedAt must be a finite time in ms, got NaN'),
    );
    expect(() =>
      decideInvitation(withAccount([{ contactId: 'x', invitedAt: Number.NaN }])),
    ).toThrow(new RangeError('account.invitations.invitedAt must be a finite time in ms, got NaN'));
  });

  it('accepts fractional days and a zero account window', () => {
    expect(() =>
      assertValidContactRules({
        ...DEFAULT_CONTACT_RULES,
        minDaysBetweenInvitations: 0.5,
        accountWindowDays: 0,
      }),
    ).not.toThrow();
  });

  it('rejects non-finite times', () => {
    expect(() => decideInvitation(buildInput({ now: Number.NaN }))).toThrow(RangeError);
    expect(() => decideInvitation(withHistory([Infinity]))).toThrow(RangeError);
    expect(() => decideInvitation(withHistory([], Number.NaN))).toThrow(RangeError);
    expect(() =>
      decideInvitation(withAccount([{ contactId: 'x', invitedAt: Number.NaN }])),
    ).toThrow(RangeError);
  });
});

describe('deciding an invitation: the contact’s state', () => {
  it('invites a fresh contact with an email address', () => {
    expect(decideInvitation(buildInput())).toEqual({ eligible: true });
  });

  it('invites a contact whose consent is unknown: NPS is research, not marketing', () => {
    expect(
      decideInvitation(buildInput({ contact: buildContact({ consent: 'unknown' }) })).eligible,
    ).toBe(true);
    expect(
      decideInvitation(buildInput({ contact: buildContact({ consent: 'granted' }) })).eligible,
    ).toBe(true);
  });

  it.each([
    ['an unsubscribed contact', { unsubscribed: true }, 'unsubscribed'],
    ['a bounced address', { bounced: true }, 'bounced'],
    ['an erased contact', { erased: true }, 'erased'],
    ['a contact without email', { hasEmail: false }, 'no_email'],
    ['a contact who withdrew consent', { consent: 'withdrawn' as const }, 'consent_withdrawn'],
  ])('skips %s', (_label, overrides: Partial<ContactState>, code) => {
    const decision = decideInvitation(buildInput({ contact: buildContact(overrides) }));
    expect(decision).toEqual({ eligible: false, reasons: [{ code }], eligibleFrom: null });
  });

  it('ignores email state for a personal link the business hands over itself', () => {
    const contact = buildContact({ hasEmail: false, bounced: true });
    expect(decideInvitation(buildInput({ contact, channel: 'link' }))).toEqual({ eligible: true });
    expect(codes(decideInvitation(buildInput({ contact, channel: 'email' })))).toEqual([
      'bounced',
      'no_email',
    ]);
  });

  it('still respects unsubscribe, erasure and withdrawn consent for a personal link', () => {
    const contact = buildContact({ unsubscribed: true, erased: true, consent: 'withdrawn' });
    expect(codes(decideInvitation(buildInput({ contact, channel: 'link' })))).toEqual([
      'erased',
      'unsubscribed',
      'consent_withdrawn',
    ]);
  });

  it('still applies the frequency rules to a personal link', () => {
    expect(codes(decideInvitation({ ...withHistory([ago(40)]), channel: 'link' }))).toEqual([
      'too_recent',
    ]);
  });
});

describe('deciding an invitation: spacing between invitations', () => {
  it('skips a contact surveyed 40 days ago, and says when they are eligible again', () => {
    const decision = decideInvitation(withHistory([ago(40)]));
    expect(decision).toEqual({
      eligible: false,
      reasons: [
        {
          code: 'too_recent',
          lastInvitedAt: ago(40),
          daysAgo: 40,
          eligibleFrom: ago(40) + days(180),
        },
      ],
      eligibleFrom: NOW + days(140),
    });
  });

  it('invites a contact surveyed exactly 180 days ago', () => {
    expect(decideInvitation(withHistory([ago(180)]))).toEqual({ eligible: true });
  });

  it('skips a contact surveyed 179.99 days ago, reporting 179 whole days', () => {
    const r = reason(decideInvitation(withHistory([ago(179.99)])), 'too_recent');
    expect(r.daysAgo).toBe(179);
    expect(r.eligibleFrom).toBe(ago(179.99) + days(180));
  });

  it('skips a contact one millisecond short of 180 days', () => {
    expect(codes(decideInvitation(withHistory([ago(180) + 1])))).toEqual(['too_recent']);
  });

  it('measures from the latest invitation, whatever the order of the history', () => {
    const r = reason(decideInvitation(withHistory([ago(30), ago(300), ago(10)])), 'too_recent');
    expect(r.lastInvitedAt).toBe(ago(10));
    expect(r.daysAgo).toBe(10);
  });

  it('counts an invitation already scheduled after now, reporting 0 days ago', () => {
    const scheduled = NOW + days(3);
    const r = reason(decideInvitation(withHistory([scheduled])), 'too_recent');
    expect(r.daysAgo).toBe(0);
    expect(r.eligibleFrom).toBe(scheduled + days(180));
  });

  it('follows a shorter organisation setting', () => {
    const rules = resolveContactRules({ minDaysBetweenInvitations: 30 });
    expect(decideInvitation({ ...withHistory([ago(30)]), rules }).eligible).toBe(true);
    expect(codes(decideInvitation({ ...withHistory([ago(29)]), rules }))).toEqual(['too_recent']);
  });

  it('allows back-to-back invitations when spacing is switched off', () => {
    const rules = resolveContactRules({
      minDaysBetweenInvitations: 0,
      maxInvitationsPer365Days: 10,
    });
    expect(decideInvitation({ ...withHistory([NOW - 1]), rules }).eligible).toBe(true);
    expect(decideInvitation({ ...withHistory([NOW]), rules }).eligible).toBe(true);
  });
});

describe('deciding an invitation: at most N per rolling 365 days', () => {
  const rules = resolveContactRules({ minDaysBetweenInvitations: 30 });

  it('skips a third invitation within 365 days, eligible when the oldest leaves the window', () => {
    const decision = decideInvitation({ ...withHistory([ago(300), ago(100)]), rules });
    expect(decision).toEqual({
      eligible: false,
      reasons: [
        {
          code: 'too_many_in_year',
          invitationsInWindow: 2,
          max: 2,
          eligibleFrom: ago(300) + days(365),
        },
      ],
      eligibleFrom: NOW + days(65),
    });
  });

  it('no longer counts an invitation exactly 365 days ago', () => {
    expect(decideInvitation({ ...withHistory([ago(365), ago(100)]), rules }).eligible).toBe(true);
  });

  it('still counts an invitation 364.99 days ago', () => {
    expect(codes(decideInvitation({ ...withHistory([ago(364.99), ago(100)]), rules }))).toEqual([
      'too_many_in_year',
    ]);
  });

  it('still counts an invitation one millisecond inside the window', () => {
    expect(codes(decideInvitation({ ...withHistory([ago(365) + 1, ago(100)]), rules }))).toEqual([
      'too_many_in_year',
    ]);
  });

  it('ignores invitations from earlier years', () => {
    const history = [ago(1000), ago(800), ago(400), ago(366)];
    expect(decideInvitation({ ...withHistory(history), rules }).eligible).toBe(true);
  });

  it('with a maximum of one, waits a full year after the last invitation', () => {
    const once = resolveContactRules({ maxInvitationsPer365Days: 1 });
    const r = reason(
      decideInvitation({ ...withHistory([ago(200)]), rules: once }),
      'too_many_in_year',
    );
    expect(r).toEqual({
      code: 'too_many_in_year',
      invitationsInWindow: 1,
      max: 1,
      eligibleFrom: ago(200) + days(365),
    });
  });

  it('when over the maximum (the setting was lowered), waits until enough invitations have left', () => {
    const once = resolveContactRules({ maxInvitationsPer365Days: 1, minDaysBetweenInvitations: 0 });
    const r = reason(
      decideInvitation({ ...withHistory([ago(50), ago(300), ago(200)]), rules: once }),
      'too_many_in_year',
    );
    expect(r.invitationsInWindow).toBe(3);
    // All three must leave; the newest (50 days ago) leaves last.
    expect(r.eligibleFrom).toBe(ago(50) + days(365));
  });

  it('is eligible again exactly at the reported moment', () => {
    const r = reason(
      decideInvitation({ ...withHistory([ago(300), ago(100)]), rules }),
      'too_many_in_year',
    );
    expect(
      decideInvitation({ ...withHistory([ago(300), ago(100)]), rules, now: r.eligibleFrom })
        .eligible,
    ).toBe(true);
    expect(
      decideInvitation({ ...withHistory([ago(300), ago(100)]), rules, now: r.eligibleFrom - 1 })
        .eligible,
    ).toBe(false);
  });

  it('reports both spacing and yearly maximum when both apply, with the later date overall', () => {
    const decision = decideInvitation(withHistory([ago(200), ago(20)]));
    expect(codes(decision)).toEqual(['too_recent', 'too_many_in_year']);
    expect(reason(decision, 'too_recent').eligibleFrom).toBe(ago(20) + days(180));
    expect(reason(decision, 'too_many_in_year').eligibleFrom).toBe(ago(200) + days(365));
    // now + 160 days for the spacing, now + 165 days for the yearly maximum: the later one wins.
    expect(eligibleFrom(decision)).toBe(NOW + days(165));
  });
});

describe('deciding an invitation: recent responses', () => {
  it('skips a contact who answered 30 days ago (for instance through the QR code)', () => {
    const decision = decideInvitation(withHistory([], ago(30)));
    expect(decision).toEqual({
      eligible: false,
      reasons: [
        {
          code: 'responded_recently',
          respondedAt: ago(30),
          daysAgo: 30,
          eligibleFrom: ago(30) + days(180),
        },
      ],
      eligibleFrom: ago(30) + days(180),
    });
  });

  it('invites a contact who answered exactly 180 days ago', () => {
    expect(decideInvitation(withHistory([], ago(180))).eligible).toBe(true);
  });

  it('skips a contact who answered 179.99 days ago', () => {
    expect(codes(decideInvitation(withHistory([], ago(179.99))))).toEqual(['responded_recently']);
  });

  it('can be switched off with zero days', () => {
    const rules = resolveContactRules({ recentResponseDays: 0 });
    expect(decideInvitation({ ...withHistory([], NOW), rules }).eligible).toBe(true);
  });
});

describe('deciding an invitation: the account budget', () => {
  it('skips a second contact of a firm whose colleague was invited 30 days ago', () => {
    const decision = decideInvitation(withAccount([{ contactId: 'c-2', invitedAt: ago(30) }]));
    expect(decision).toEqual({
      eligible: false,
      reasons: [
        {
          code: 'account_budget',
          accountId: 'acme',
          contactsInWindow: 1,
          max: 1,
          eligibleFrom: ago(30) + days(90),
        },
      ],
      eligibleFrom: NOW + days(60),
    });
  });

  it('no longer counts a colleague invited exactly 90 days ago', () => {
    expect(decideInvitation(withAccount([{ contactId: 'c-2', invitedAt: ago(90) }])).eligible).toBe(
      true,
    );
  });

  it('still counts a colleague invited 89.99 days ago', () => {
    expect(
      codes(decideInvitation(withAccount([{ contactId: 'c-2', invitedAt: ago(89.99) }]))),
    ).toEqual(['account_budget']);
  });

  it('ignores the contact’s own invitations (those are the spacing rules’ business)', () => {
    const rules = resolveContactRules({
      minDaysBetweenInvitations: 0,
      maxInvitationsPer365Days: 5,
    });
    expect(
      decideInvitation(withAccount([{ contactId: 'c-1', invitedAt: ago(10) }], rules)).eligible,
    ).toBe(true);
  });

  it('counts contacts, not invitations: one colleague invited twice is one contact', () => {
    const rules = resolveContactRules({ accountMaxContactsPerWindow: 2 });
    const twiceSameColleague = [
      { contactId: 'c-2', invitedAt: ago(60) },
      { contactId: 'c-2', invitedAt: ago(10) },
    ];
    expect(decideInvitation(withAccount(twiceSameColleague, rules)).eligible).toBe(true);
  });

  it('lets a colleague leave the window only with their latest invitation', () => {
    const rules = resolveContactRules({ accountMaxContactsPerWindow: 2 });
    const r = reason(
      decideInvitation(
        withAccount(
          [
            { contactId: 'c-2', invitedAt: ago(80) },
            { contactId: 'c-2', invitedAt: ago(10) },
            { contactId: 'c-3', invitedAt: ago(50) },
          ],
          rules,
        ),
      ),
      'account_budget',
    );
    expect(r.contactsInWindow).toBe(2);
    // c-3 (latest 50 days ago) leaves before c-2 (latest 10 days ago).
    expect(r.eligibleFrom).toBe(ago(50) + days(90));
  });

  it('allows several contacts per account when the organisation says so', () => {
    const rules = resolveContactRules({ accountMaxContactsPerWindow: 3 });
    const two = [
      { contactId: 'c-2', invitedAt: ago(10) },
      { contactId: 'c-3', invitedAt: ago(20) },
    ];
    expect(decideInvitation(withAccount(two, rules)).eligible).toBe(true);
    const three = [...two, { contactId: 'c-4', invitedAt: ago(5) }];
    const r = reason(decideInvitation(withAccount(three, rules)), 'account_budget');
    expect(r).toMatchObject({ contactsInWindow: 3, max: 3, eligibleFrom: ago(20) + days(90) });
  });

  it('has no budget for a consumer without an account', () => {
    expect(decideInvitation(buildInput({ account: null })).eligible).toBe(true);
  });

  it('is switched off with a zero-day window', () => {
    const rules = resolveContactRules({ accountWindowDays: 0 });
    expect(
      decideInvitation(withAccount([{ contactId: 'c-2', invitedAt: NOW }], rules)).eligible,
    ).toBe(true);
  });

  it('counts a colleague’s invitation scheduled after now', () => {
    expect(
      codes(decideInvitation(withAccount([{ contactId: 'c-2', invitedAt: NOW + days(1) }]))),
    ).toEqual(['account_budget']);
  });
});

describe('deciding an invitation: several reasons at once', () => {
  it('returns every reason, permanent ones first', () => {
    const decision = decideInvitation({
      now: NOW,
      rules: DEFAULT_CONTACT_RULES,
      contact: buildContact({
        unsubscribed: true,
        bounced: true,
        erased: true,
        hasEmail: false,
        consent: 'withdrawn',
      }),
      contactHistory: { invitedAt: [ago(300), ago(40)], lastRespondedAt: ago(40) },
      account: { accountId: 'acme', invitations: [{ contactId: 'c-2', invitedAt: ago(10) }] },
    });
    expect(codes(decision)).toEqual([
      'erased',
      'unsubscribed',
      'consent_withdrawn',
      'bounced',
      'no_email',
      'responded_recently',
      'too_recent',
      'too_many_in_year',
      'account_budget',
    ]);
    expect(eligibleFrom(decision)).toBeNull();
  });

  it('gives no date when one reason never expires by itself', () => {
    const decision = decideInvitation({
      ...withHistory([ago(40)]),
      contact: buildContact({ unsubscribed: true }),
    });
    expect(codes(decision)).toEqual(['unsubscribed', 'too_recent']);
    expect(eligibleFrom(decision)).toBeNull();
  });

  it('gives the latest date when all reasons expire', () => {
    const decision = decideInvitation({
      ...withHistory([ago(100)], ago(170)),
      account: { accountId: 'acme', invitations: [{ contactId: 'c-2', invitedAt: ago(1) }] },
    });
    expect(codes(decision)).toEqual(['responded_recently', 'too_recent', 'account_budget']);
    // Response: now + 10 days; spacing: now + 80 days; account: now + 89 days.
    expect(eligibleFrom(decision)).toBe(NOW + days(89));
  });

  it('keeps the documented order of codes', () => {
    expect(SKIP_REASON_ORDER).toEqual([
      'erased',
      'unsubscribed',
      'consent_withdrawn',
      'bounced',
      'no_email',
      'responded_recently',
      'too_recent',
      'too_many_in_year',
      'account_budget',
      'duplicate_in_batch',
    ]);
  });
});

describe('planning a batch', () => {
  function candidate(
    id: string,
    accountId: string | null,
    extra: Partial<BatchCandidate> = {},
  ): BatchCandidate {
    return {
      contact: buildContact({ id }),
      contactHistory: { invitedAt: [], lastRespondedAt: null },
      account: accountId === null ? null : { accountId, invitations: [] },
      ...extra,
    };
  }

  it('admits only the first of two contacts of one account in the same batch', () => {
    const plan = planBatch(NOW, DEFAULT_CONTACT_RULES, [
      candidate('a', 'acme'),
      candidate('b', 'acme'),
    ]);
    expect(plan[0]).toEqual({ contactId: 'a', decision: { eligible: true } });
    expect(plan[1]).toEqual({
      contactId: 'b',
      decision: {
        eligible: false,
        reasons: [
          {
            code: 'account_budget',
            accountId: 'acme',
            contactsInWindow: 1,
            max: 1,
            eligibleFrom: NOW + days(90),
          },
        ],
        eligibleFrom: NOW + days(90),
      },
    });
  });

  it('keeps accounts apart: one contact of each firm is admitted', () => {
    const plan = planBatch(NOW, DEFAULT_CONTACT_RULES, [
      candidate('a1', 'acme'),
      candidate('b1', 'bolt'),
      candidate('a2', 'acme'),
      candidate('b2', 'bolt'),
      candidate('x', null),
      candidate('y', null),
    ]);
    expect(plan.map((p) => p.decision.eligible)).toEqual([true, true, false, false, true, true]);
  });

  it('lets the next contact of the account through when the first is skipped', () => {
    const plan = planBatch(NOW, DEFAULT_CONTACT_RULES, [
      candidate('a', 'acme', { contact: buildContact({ id: 'a', unsubscribed: true }) }),
      candidate('b', 'acme'),
      candidate('c', 'acme'),
    ]);
    expect(plan.map((p) => codes(p.decision))).toEqual([['unsubscribed'], [], ['account_budget']]);
  });

  it('fills a larger account budget exactly', () => {
    const rules = resolveContactRules({ accountMaxContactsPerWindow: 2 });
    const plan = planBatch(
      NOW,
      rules,
      ['a', 'b', 'c', 'd'].map((id) => candidate(id, 'acme')),
    );
    expect(plan.map((p) => p.decision.eligible)).toEqual([true, true, false, false]);
  });

  it('adds the batch to the account history read from the database', () => {
    const rules = resolveContactRules({ accountMaxContactsPerWindow: 2 });
    const history: AccountHistory = {
      accountId: 'acme',
      invitations: [{ contactId: 'old', invitedAt: ago(10) }],
    };
    const plan = planBatch(NOW, rules, [
      candidate('a', 'acme', { account: history }),
      candidate('b', 'acme', { account: history }),
    ]);
    expect(plan.map((p) => p.decision.eligible)).toEqual([true, false]);
    expect(reason(plan[1]?.decision ?? { eligible: true }, 'account_budget')).toMatchObject({
      contactsInWindow: 2,
      eligibleFrom: ago(10) + days(90),
    });
  });

  it('decides a contact listed twice once', () => {
    const plan = planBatch(NOW, DEFAULT_CONTACT_RULES, [
      candidate('a', null),
      candidate('b', null),
      candidate('a', null),
    ]);
    expect(plan[2]).toEqual({
      contactId: 'a',
      decision: {
        eligible: false,
        reasons: [{ code: 'duplicate_in_batch', firstIndex: 0 }],
        eligibleFrom: null,
      },
    });
  });

  it('marks a repeat as duplicate even when the first occurrence was skipped', () => {
    const skipped = candidate('a', null, { contact: buildContact({ id: 'a', erased: true }) });
    const plan = planBatch(NOW, DEFAULT_CONTACT_RULES, [skipped, candidate('a', null)]);
    expect(codes(plan[0]?.decision ?? { eligible: true })).toEqual(['erased']);
    expect(codes(plan[1]?.decision ?? { eligible: true })).toEqual(['duplicate_in_batch']);
  });

  it('applies the per-contact rules to every candidate', () => {
    const plan = planBatch(NOW, DEFAULT_CONTACT_RULES, [
      candidate('a', null, { contactHistory: { invitedAt: [ago(40)], lastRespondedAt: null } }),
      candidate('b', null, {
        channel: 'link',
        contact: buildContact({ id: 'b', hasEmail: false }),
      }),
      candidate('c', null, { contact: buildContact({ id: 'c', hasEmail: false }) }),
    ]);
    expect(plan.map((p) => codes(p.decision))).toEqual([['too_recent'], [], ['no_email']]);
  });

  it('returns nothing for an empty batch', () => {
    expect(planBatch(NOW, DEFAULT_CONTACT_RULES, [])).toEqual([]);
  });
});

describe('deciding a reminder', () => {
  function buildReminder(overrides: Partial<ReminderInput> = {}): ReminderInput {
    return {
      now: NOW,
      rules: DEFAULT_CONTACT_RULES,
      invitationSentAt: ago(5),
      remindersSent: 0,
      responded: false,
      contact: buildContact(),
      ...overrides,
    };
  }

  it('sends the one reminder exactly 5 days after the invitation', () => {
    expect(decideReminder(buildReminder())).toEqual({ eligible: true });
  });

  it('waits when the invitation was sent 4.99 days ago, saying when it is due', () => {
    const sentAt = ago(4.99);
    expect(decideReminder(buildReminder({ invitationSentAt: sentAt }))).toEqual({
      eligible: false,
      reasons: [{ code: 'too_early', dueAt: sentAt + days(5) }],
    });
  });

  it('does not remind a contact who already answered', () => {
    expect(decideReminder(buildReminder({ responded: true }))).toEqual({
      eligible: false,
      reasons: [{ code: 'responded' }],
    });
  });

  it('sends at most one reminder', () => {
    expect(decideReminder(buildReminder({ remindersSent: 1 }))).toEqual({
      eligible: false,
      reasons: [{ code: 'already_reminded', remindersSent: 1, max: 1 }],
    });
  });

  it('sends none when the organisation switched reminders off', () => {
    const rules = resolveContactRules({ maxReminders: 0 });
    expect(decideReminder(buildReminder({ rules }))).toEqual({
      eligible: false,
      reasons: [{ code: 'reminders_disabled' }],
    });
  });

  it('is not a new invitation: a contact at the yearly maximum is still reminded', () => {
    // The invitation being reminded is itself the second of the year; a new invitation would be refused.
    const history = { invitedAt: [ago(200), ago(5)], lastRespondedAt: null };
    expect(decideInvitation({ ...buildInput(), contactHistory: history }).eligible).toBe(false);
    expect(decideReminder(buildReminder({ invitationSentAt: ago(5) }))).toEqual({ eligible: true });
  });

  it.each([
    ['unsubscribed since the invitation', { unsubscribed: true }, 'unsubscribed'],
    ['whose invitation bounced', { bounced: true }, 'bounced'],
    ['erased since the invitation', { erased: true }, 'erased'],
    ['without an email address', { hasEmail: false }, 'no_email'],
    ['who withdrew consent', { consent: 'withdrawn' as const }, 'consent_withdrawn'],
  ])('does not remind a contact %s', (_label, overrides: Partial<ContactState>, code) => {
    expect(decideReminder(buildReminder({ contact: buildContact(overrides) }))).toEqual({
      eligible: false,
      reasons: [{ code }],
    });
  });

  it('returns every reason in the documented order', () => {
    const decision = decideReminder(
      buildReminder({
        contact: buildContact({
          erased: true,
          unsubscribed: true,
          consent: 'withdrawn',
          bounced: true,
          hasEmail: false,
        }),
        responded: true,
        remindersSent: 1,
        invitationSentAt: ago(1),
      }),
    );
    expect(decision.eligible ? [] : decision.reasons.map((r) => r.code)).toEqual(
      REMINDER_SKIP_REASON_ORDER.filter((c) => c !== 'reminders_disabled'),
    );
  });

  it('follows the organisation’s reminder delay', () => {
    const rules = resolveContactRules({ reminderAfterDays: 7 });
    expect(decideReminder(buildReminder({ rules, invitationSentAt: ago(6) })).eligible).toBe(false);
    expect(decideReminder(buildReminder({ rules, invitationSentAt: ago(7) })).eligible).toBe(true);
  });

  it('rejects a negative or fractional reminder count and non-finite times, naming each', () => {
    expect(() => decideReminder(buildReminder({ remindersSent: -1 }))).toThrow(
      new RangeError('remindersSent must be a non-negative integer, got -1'),
    );
    expect(() => decideReminder(buildReminder({ remindersSent: 0.5 }))).toThrow(
      new RangeError('remindersSent must be a non-negative integer, got 0.5'),
    );
    expect(() => decideReminder(buildReminder({ invitationSentAt: Number.NaN }))).toThrow(
      new RangeError('invitationSentAt must be a finite time in ms, got NaN'),
    );
    expect(() => decideReminder(buildReminder({ now: Infinity }))).toThrow(
      new RangeError('now must be a finite time in ms, got Infinity'),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const timeArb = fc.integer({ min: NOW - days(800), max: NOW + days(10) });
const rulesArb: fc.Arbitrary<ContactRules> = fc.record({
  maxInvitationsPer365Days: fc.integer({ min: 1, max: 4 }),
  minDaysBetweenInvitations: fc.integer({ min: 0, max: 400 }),
  accountMaxContactsPerWindow: fc.integer({ min: 1, max: 3 }),
  accountWindowDays: fc.integer({ min: 0, max: 200 }),
  recentResponseDays: fc.integer({ min: 0, max: 400 }),
  reminderAfterDays: fc.integer({ min: 0, max: 14 }),
  maxReminders: fc.constantFrom<0 | 1>(0, 1),
});
const contactArb = (id: fc.Arbitrary<string>): fc.Arbitrary<ContactState> =>
  fc.record({
    id,
    unsubscribed: fc.boolean(),
    bounced: fc.boolean(),
    erased: fc.boolean(),
    hasEmail: fc.boolean(),
    consent: fc.constantFrom<'granted' | 'unknown' | 'withdrawn'>(
      'granted',
      'unknown',
      'withdrawn',
    ),
  });
const inputArb: fc.Arbitrary<InvitationInput> = fc.record({
  now: fc.constant(NOW),
  rules: rulesArb,
  channel: fc.constantFrom<'email' | 'link'>('email', 'link'),
  contact: contactArb(fc.constant('c-1')),
  contactHistory: fc.record({
    invitedAt: fc.array(timeArb, { maxLength: 6 }),
    lastRespondedAt: fc.option(timeArb, { nil: null }),
  }),
  account: fc.option(
    fc.record({
      accountId: fc.constant('acme'),
      invitations: fc.array(
        fc.record({ contactId: fc.constantFrom('c-1', 'c-2', 'c-3', 'c-4'), invitedAt: timeArb }),
        { maxLength: 6 },
      ),
    }),
    { nil: null },
  ),
});

describe('contact rules properties', () => {
  it('an eligible decision never has reasons, an ineligible one always has some, in order', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = decideInvitation(input);
        if (decision.eligible) {
          expect(Object.keys(decision)).toEqual(['eligible']);
        } else {
          expect(decision.reasons.length).toBeGreaterThan(0);
          const ranks = decision.reasons.map((r) => SKIP_REASON_ORDER.indexOf(r.code));
          expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
          expect(new Set(ranks).size).toBe(ranks.length);
        }
      }),
    );
  });

  it('a contact whose only reasons are about timing is eligible exactly at eligibleFrom, not a millisecond before', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const decision = decideInvitation(input);
        if (decision.eligible || decision.eligibleFrom === null) return;
        expect(decision.eligibleFrom).toBeGreaterThan(input.now);
        expect(decideInvitation({ ...input, now: decision.eligibleFrom }).eligible).toBe(true);
        expect(decideInvitation({ ...input, now: decision.eligibleFrom - 1 }).eligible).toBe(false);
      }),
    );
  });

  it('planBatch never admits more than accountMaxContactsPerWindow contacts per account', () => {
    const batchArb = fc.array(
      fc.record({
        contact: contactArb(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h')).map((c) => ({
          ...c,
          unsubscribed: false,
          erased: false,
        })),
        contactHistory: fc.constant({ invitedAt: [], lastRespondedAt: null }),
        account: fc.option(
          fc.record({
            accountId: fc.constantFrom('acme', 'bolt', 'cern'),
            invitations: fc.constant([]),
          }),
          { nil: null },
        ),
      }),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(
        rulesArb.filter((r) => r.accountWindowDays > 0),
        batchArb,
        (rules, batch) => {
          const plan = planBatch(NOW, rules, batch);
          expect(plan).toHaveLength(batch.length);
          const admittedPerAccount = new Map<string, number>();
          const admittedContacts = new Set<string>();
          plan.forEach((entry, i) => {
            const accountId = batch[i]?.account?.accountId;
            expect(entry.contactId).toBe(batch[i]?.contact.id);
            if (!entry.decision.eligible) return;
            expect(admittedContacts.has(entry.contactId)).toBe(false);
            admittedContacts.add(entry.contactId);
            if (accountId !== undefined) {
              admittedPerAccount.set(accountId, (admittedPerAccount.get(accountId) ?? 0) + 1);
            }
          });
          for (const count of admittedPerAccount.values()) {
            expect(count).toBeLessThanOrEqual(rules.accountMaxContactsPerWindow);
          }
        },
      ),
    );
  });

  it('a reminder decision is eligible exactly when it has no reasons', () => {
    fc.assert(
      fc.property(
        rulesArb,
        contactArb(fc.constant('c-1')),
        timeArb,
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        (rules, contact, invitationSentAt, remindersSent, responded) => {
          const decision = decideReminder({
            now: NOW,
            rules,
            contact,
            invitationSentAt,
            remindersSent,
            responded,
          });
          if (!decision.eligible) expect(decision.reasons.length).toBeGreaterThan(0);
          if (decision.eligible) {
            expect(responded).toBe(false);
            expect(remindersSent).toBeLessThan(rules.maxReminders);
          }
        },
      ),
    );
  });
});

describe('the case follow-up: the one exception to the frequency rules', () => {
  it('asks a customer invited and answering yesterday, since it is tied to their resolved case', () => {
    expect(decideCaseFollowUp(buildContact())).toEqual({ eligible: true });
    // The same customer under the ordinary rules: too recent and answered recently.
    const ordinary = decideInvitation({
      now: NOW,
      rules: DEFAULT_CONTACT_RULES,
      contact: buildContact(),
      contactHistory: { invitedAt: [ago(1)], lastRespondedAt: ago(1) },
      account: null,
    });
    expect(ordinary.eligible).toBe(false);
  });

  it.each([
    [{ unsubscribed: true }, 'unsubscribed'],
    [{ erased: true }, 'erased'],
    [{ consent: 'withdrawn' as const }, 'consent_withdrawn'],
    [{ bounced: true }, 'bounced'],
    [{ hasEmail: false }, 'no_email'],
  ])('never asks a contact whose state forbids it (%o → %s)', (state, code) => {
    const decision = decideCaseFollowUp(buildContact(state));
    expect(decision.eligible).toBe(false);
    if (!decision.eligible) {
      expect(decision.reasons.map((r) => r.code)).toEqual([code]);
      expect(decision.eligibleFrom).toBeNull();
    }
  });

  it('ignores the email state for a personal link, like the ordinary rules do', () => {
    expect(decideCaseFollowUp(buildContact({ hasEmail: false, bounced: true }), 'link')).toEqual({
      eligible: true,
    });
  });
});
