import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DAY_MS,
  HOUR_MS,
  RULE_VERDICT,
  assessReferral,
  type FraudRule,
  type ReferralCase,
} from './fraud-rules.ts';

const NOW = Date.UTC(2026, 5, 1, 12);
const DISPOSABLE = new Set(['mailinator.com', 'yopmail.com']);

function buildCase(overrides: Partial<ReferralCase> = {}): ReferralCase {
  return {
    now: NOW,
    ambassador: {
      id: 'amb-1',
      identity: {
        email: 'jan@devries.nl',
        phone: '0612345678',
        postcode: '1234 AB',
        houseNumber: '12',
        lastName: 'de Vries',
        licencePlates: ['12-ABC-3'],
      },
    },
    upstream: [],
    friend: { email: 'piet@pietersen.nl', phone: '0687654321', lastName: 'Pietersen' },
    matchingCustomers: [],
    earlierReferrals: [],
    recentLinkReferrals: [],
    isDisposableDomain: (d) => DISPOSABLE.has(d),
    ...overrides,
  };
}

const rules = (c: ReferralCase): FraudRule[] => assessReferral(c).findings.map((f) => f.rule);

describe('referral fraud rules', () => {
  it('passes an ordinary friend', () => {
    expect(assessReferral(buildCase())).toEqual({ verdict: 'eligible', findings: [] });
  });

  describe('self-referral', () => {
    const cases: [string, ReferralCase['friend']][] = [
      ['the same email, written differently', { email: 'Jan+vriend@DeVries.nl' }],
      ['the same phone', { email: 'other@x.nl', phone: '+31 6 1234 5678' }],
      ['the same address', { email: 'o@x.nl', postcode: '1234ab', houseNumber: '12' }],
      ['the same licence plate', { email: 'o@x.nl', licencePlates: ['12abc3'] }],
      [
        'the same household',
        { email: 'o@x.nl', postcode: '1234AB', houseNumber: '14', lastName: 'De Vries' },
      ],
    ];
    for (const [what, friend] of cases) {
      it(`never pays for ${what}`, () => {
        const a = assessReferral(buildCase({ friend }));
        expect(a.verdict).toBe('ineligible');
        expect(a.findings[0]?.rule).toBe('self_referral');
      });
    }

    it('tells a neighbour from the same household', () => {
      const a = assessReferral(
        buildCase({
          friend: { email: 'buur@x.nl', postcode: '1234AB', houseNumber: '14', lastName: 'Bakker' },
        }),
      );
      expect(a.verdict).toBe('eligible');
    });

    it('names what the friend shares with the ambassador', () => {
      const a = assessReferral(
        buildCase({ friend: { email: 'jan@devries.nl', phone: '0612345678' } }),
      );
      expect(a.findings).toEqual([{ rule: 'self_referral', shared: ['email', 'phone'] }]);
    });
  });

  describe('already a customer', () => {
    it('gives no reward for a friend whose email or phone is a customer', () => {
      const a = assessReferral(buildCase({ matchingCustomers: [{ shared: ['phone'] }] }));
      expect(a).toEqual({
        verdict: 'ineligible',
        findings: [{ rule: 'already_customer', shared: ['phone'] }],
      });
    });

    it('counts a shared email as the customer, and names only the strong matches', () => {
      const a = assessReferral(
        buildCase({ matchingCustomers: [{ shared: ['address'] }, { shared: ['email'] }] }),
      );
      expect(a).toEqual({
        verdict: 'ineligible',
        findings: [{ rule: 'already_customer', shared: ['email'] }],
      });
    });

    it('still rewards a new person living with a customer', () => {
      expect(
        assessReferral(buildCase({ matchingCustomers: [{ shared: ['household'] }] })).verdict,
      ).toBe('eligible');
    });
  });

  describe('the same friend referred twice', () => {
    it('lets the first referral within the attribution window win', () => {
      const a = assessReferral(
        buildCase({
          earlierReferrals: [
            { id: 'r-2', ambassadorId: 'amb-3', createdAt: NOW - 10 * DAY_MS, withdrawn: false },
            { id: 'r-1', ambassadorId: 'amb-2', createdAt: NOW - 30 * DAY_MS, withdrawn: false },
          ],
        }),
      );
      expect(a.verdict).toBe('ineligible');
      expect(a.findings).toEqual([
        {
          rule: 'duplicate_friend',
          firstReferralId: 'r-1',
          firstReferredAt: NOW - 30 * DAY_MS,
          sameAmbassador: false,
        },
      ]);
    });

    it('lets a new referral win once the earlier one is older than the window', () => {
      const c = buildCase({
        earlierReferrals: [
          { id: 'r-1', ambassadorId: 'amb-2', createdAt: NOW - 91 * DAY_MS, withdrawn: false },
        ],
      });
      expect(assessReferral(c).verdict).toBe('eligible');
      expect(
        assessReferral({
          ...c,
          settings: { attributionWindowDays: 120, burstMaxReferrals: 5, burstWindowHours: 24 },
        }).verdict,
      ).toBe('ineligible');
    });

    it('counts an earlier referral made exactly at the window’s start, not a millisecond before', () => {
      const at = (createdAt: number) =>
        assessReferral(
          buildCase({
            earlierReferrals: [{ id: 'r-1', ambassadorId: 'amb-2', createdAt, withdrawn: false }],
          }),
        ).verdict;
      expect(at(NOW - 90 * DAY_MS)).toBe('ineligible');
      expect(at(NOW - 90 * DAY_MS - 1)).toBe('eligible');
    });

    it('lets a referral made after this one claim nothing (a re-assessment of an older one)', () => {
      const a = assessReferral(
        buildCase({
          earlierReferrals: [
            { id: 'r-9', ambassadorId: 'amb-2', createdAt: NOW + 1, withdrawn: false },
          ],
        }),
      );
      expect(a.verdict).toBe('eligible');
      expect(
        assessReferral(
          buildCase({
            earlierReferrals: [
              { id: 'r-9', ambassadorId: 'amb-2', createdAt: NOW, withdrawn: false },
            ],
          }),
        ).verdict,
      ).toBe('ineligible');
    });

    it('breaks a tie in the same millisecond by referral id, whatever the input order', () => {
      const t = NOW - DAY_MS;
      const a = assessReferral(
        buildCase({
          earlierReferrals: [
            { id: 'r-b', ambassadorId: 'amb-3', createdAt: t, withdrawn: false },
            { id: 'r-a', ambassadorId: 'amb-2', createdAt: t, withdrawn: false },
          ],
        }),
      );
      expect(a.findings[0]).toMatchObject({ rule: 'duplicate_friend', firstReferralId: 'r-a' });
    });

    it('ignores a withdrawn earlier referral', () => {
      const c = buildCase({
        earlierReferrals: [
          { id: 'r-1', ambassadorId: 'amb-2', createdAt: NOW - DAY_MS, withdrawn: true },
        ],
      });
      expect(assessReferral(c).verdict).toBe('eligible');
    });

    it('says when the ambassador referred the same friend before', () => {
      const a = assessReferral(
        buildCase({
          earlierReferrals: [
            { id: 'r-1', ambassadorId: 'amb-1', createdAt: NOW - DAY_MS, withdrawn: false },
          ],
        }),
      );
      expect(a.findings[0]).toMatchObject({ rule: 'duplicate_friend', sameAmbassador: true });
    });
  });

  describe('bursts from one link', () => {
    it('sends the sixth referral within a day to review', () => {
      const five = [1, 2, 3, 4, 5].map((h) => NOW - h * HOUR_MS);
      const a = assessReferral(buildCase({ recentLinkReferrals: five }));
      expect(a).toEqual({
        verdict: 'review',
        findings: [{ rule: 'burst', count: 6, windowHours: 24 }],
      });
    });

    it('lets the fifth referral within a day through', () => {
      const four = [1, 2, 3, 4].map((h) => NOW - h * HOUR_MS);
      expect(assessReferral(buildCase({ recentLinkReferrals: four })).verdict).toBe('eligible');
    });

    it('does not flag six referrals spread over a week', () => {
      const spread = [1, 2, 3, 4, 5].map((d) => NOW - d * 30 * HOUR_MS);
      expect(assessReferral(buildCase({ recentLinkReferrals: spread })).verdict).toBe('eligible');
    });

    it('counts a referral from just inside the window, not one from exactly 24 hours ago', () => {
      const four = [1, 2, 3, 4].map((h) => NOW - h * HOUR_MS);
      const withFifth = (t: number) =>
        assessReferral(buildCase({ recentLinkReferrals: [...four, t] })).verdict;
      expect(withFifth(NOW - 24 * HOUR_MS + 1)).toBe('review');
      expect(withFifth(NOW - 24 * HOUR_MS)).toBe('eligible');
    });

    it('counts one made in the same millisecond, not those made after this referral', () => {
      const four = [1, 2, 3, 4].map((h) => NOW - h * HOUR_MS);
      const withFifth = (t: number) =>
        assessReferral(buildCase({ recentLinkReferrals: [...four, t] })).verdict;
      expect(withFifth(NOW)).toBe('review');
      expect(withFifth(NOW + 1)).toBe('eligible');
    });
  });

  describe('disposable email', () => {
    it('sends a throwaway address to review', () => {
      const a = assessReferral(buildCase({ friend: { email: 'x+1@Mailinator.com' } }));
      expect(a).toEqual({
        verdict: 'review',
        findings: [{ rule: 'disposable_email', domain: 'mailinator.com' }],
      });
    });

    it('passes an ordinary provider', () => {
      expect(assessReferral(buildCase({ friend: { email: 'x@kpnmail.nl' } })).verdict).toBe(
        'eligible',
      );
    });
  });

  describe('referral cycles', () => {
    it('sends a friend who is the ambassador’s own referrer to review', () => {
      const a = assessReferral(
        buildCase({
          upstream: [
            { ambassadorId: 'amb-0', identity: { email: 'kees@x.nl' } },
            { ambassadorId: 'amb-00', identity: { phone: '0687654321' } },
          ],
        }),
      );
      expect(a).toEqual({
        verdict: 'review',
        findings: [{ rule: 'referral_cycle', viaAmbassadorId: 'amb-00', shared: ['phone'] }],
      });
    });

    it('passes a friend unrelated to the chain', () => {
      const c = buildCase({
        upstream: [{ ambassadorId: 'amb-0', identity: { email: 'kees@x.nl' } }],
      });
      expect(assessReferral(c).verdict).toBe('eligible');
    });
  });

  it('reports every rule that fired, with the heaviest verdict', () => {
    const a = assessReferral(
      buildCase({
        friend: { email: 'jan@devries.nl' },
        recentLinkReferrals: [1, 2, 3, 4, 5, 6].map((m) => NOW - m * 60_000),
      }),
    );
    expect(a.verdict).toBe('ineligible');
    expect(a.findings.map((f) => f.rule)).toEqual(['self_referral', 'burst']);
  });

  it('gives the heaviest verdict of its findings, for any case (property)', () => {
    const identity = fc.record({
      email: fc.option(fc.constantFrom('a@x.nl', 'b@x.nl', 'c@mailinator.com'), { nil: undefined }),
      phone: fc.option(fc.constantFrom('0611111111', '0622222222'), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        identity,
        identity,
        fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 48 }), { maxLength: 8 }),
        (amb, friend, earlierDays, linkHours) => {
          const c = buildCase({
            ambassador: { id: 'amb-1', identity: amb },
            friend,
            earlierReferrals: earlierDays.map((d, i) => ({
              id: `r-${i}`,
              ambassadorId: 'amb-2',
              createdAt: NOW - d * DAY_MS,
              withdrawn: false,
            })),
            recentLinkReferrals: linkHours.map((h) => NOW - h * HOUR_MS),
          });
          const a = assessReferral(c);
          const verdicts = a.findings.map((f) => RULE_VERDICT[f.rule]);
          const expected = verdicts.includes('ineligible')
            ? 'ineligible'
            : verdicts.includes('review')
              ? 'review'
              : 'eligible';
          expect(a.verdict).toBe(expected);
          expect(rules(c).includes('duplicate_friend')).toBe(earlierDays.some((d) => d <= 90));
        },
      ),
    );
  });
});
