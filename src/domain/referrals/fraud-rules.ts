/**
 * Referral fraud rules (issue 12). Pure: the caller reads the ambassador, the friend, earlier
 * referrals and the link's recent traffic, and gets back a verdict with one finding per rule that
 * fired, each carrying the facts a person needs to understand it ("same phone number as the
 * ambassador"). The words live in the catalogues (`referral.fraud.<rule>`).
 *
 * Policy: flag, don't ban. A finding never blocks the friend's lead (the business still wants a new
 * customer) and never touches the ambassador's standing; it decides whether a reward may follow:
 * - `ineligible`: no reward, ever, and no override — a self-referral, a friend who was already a
 *   customer, a friend someone else referred first (first wins within the attribution window);
 * - `review`: the reward waits in a review queue until staff approve or reject it with a reason —
 *   bursts from one link, disposable email domains, referral cycles;
 * - `eligible`: the reward follows the normal hold period.
 * Nothing suspicious is ever paid out automatically.
 */

import {
  sharedDetails,
  type Identity,
  type SharedDetail,
  emailDomain,
} from '../identity/identity.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type FraudSettings = Readonly<{
  /** The first referral of a friend wins for this many days (default 90). */
  attributionWindowDays: number;
  /** More than this many referrals through one link within `burstWindowHours` is a burst. */
  burstMaxReferrals: number;
  burstWindowHours: number;
}>;

export const DEFAULT_FRAUD_SETTINGS: FraudSettings = Object.freeze({
  attributionWindowDays: 90,
  burstMaxReferrals: 5,
  burstWindowHours: 24,
});

export type FraudRule =
  | 'self_referral'
  | 'already_customer'
  | 'duplicate_friend'
  | 'burst'
  | 'disposable_email'
  | 'referral_cycle';

export type Verdict = 'eligible' | 'review' | 'ineligible';

/** How heavy each rule is; the verdict is the heaviest finding. */
export const RULE_VERDICT: Readonly<Record<FraudRule, Exclude<Verdict, 'eligible'>>> = {
  self_referral: 'ineligible',
  already_customer: 'ineligible',
  duplicate_friend: 'ineligible',
  burst: 'review',
  disposable_email: 'review',
  referral_cycle: 'review',
};

export type FraudFinding =
  | { rule: 'self_referral'; shared: SharedDetail[] }
  | { rule: 'already_customer'; shared: SharedDetail[] }
  | {
      rule: 'duplicate_friend';
      firstReferralId: string;
      firstReferredAt: number;
      sameAmbassador: boolean;
    }
  | { rule: 'burst'; count: number; windowHours: number }
  | { rule: 'disposable_email'; domain: string }
  | { rule: 'referral_cycle'; viaAmbassadorId: string; shared: SharedDetail[] };

export interface EarlierReferral {
  id: string;
  ambassadorId: string;
  createdAt: number;
  /** A referral staff rejected or that was withdrawn claims nothing. */
  withdrawn: boolean;
}

export interface ReferralCase {
  now: number;
  ambassador: { id: string; identity: Identity };
  /**
   * The ambassadors up the chain that brought this ambassador in (who referred them, who referred
   * that one, …), nearest first. A friend who is one of them closes a cycle.
   */
  upstream: readonly { ambassadorId: string; identity: Identity }[];
  friend: Identity;
  /**
   * Customers of the organisation (before this referral) whose details match the friend's, with
   * what matched. The caller excludes the contact created for this very friend.
   */
  matchingCustomers: readonly { shared: SharedDetail[] }[];
  /** Earlier referrals of the same friend (matched by email or phone) in this organisation. */
  earlierReferrals: readonly EarlierReferral[];
  /** When the earlier referrals through this ambassador's link were made (any friend). */
  recentLinkReferrals: readonly number[];
  isDisposableDomain: (domain: string) => boolean;
  settings?: FraudSettings;
}

export interface FraudAssessment {
  verdict: Verdict;
  findings: FraudFinding[];
}

const VERDICT_WEIGHT: Record<Verdict, number> = { eligible: 0, review: 1, ineligible: 2 };

/**
 * Checks every rule and returns the heaviest verdict with all findings (so staff see every reason,
 * not only the first). Deterministic: the same case always gives the same assessment.
 */
export function assessReferral(c: ReferralCase): FraudAssessment {
  const s = c.settings ?? DEFAULT_FRAUD_SETTINGS;
  const findings: FraudFinding[] = [];

  const self = sharedDetails(c.ambassador.identity, c.friend);
  if (self.length > 0) findings.push({ rule: 'self_referral', shared: self });

  const customerMatch = new Set<SharedDetail>();
  for (const m of c.matchingCustomers) for (const d of m.shared) customerMatch.add(d);
  // Only strong identifiers say "this is that customer": a shared household or postcode is a new
  // person who lives with a customer, which is exactly who a referral programme should reach.
  const strong = [...customerMatch].filter((d) => d === 'email' || d === 'phone');
  if (strong.length > 0) findings.push({ rule: 'already_customer', shared: strong });

  const windowStart = c.now - s.attributionWindowDays * DAY_MS;
  const first = c.earlierReferrals
    .filter((r) => !r.withdrawn && r.createdAt >= windowStart && r.createdAt <= c.now)
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))[0];
  if (first) {
    findings.push({
      rule: 'duplicate_friend',
      firstReferralId: first.id,
      firstReferredAt: first.createdAt,
      sameAmbassador: first.ambassadorId === c.ambassador.id,
    });
  }

  const burstStart = c.now - s.burstWindowHours * HOUR_MS;
  const inBurst = c.recentLinkReferrals.filter((t) => t > burstStart && t <= c.now).length + 1;
  if (inBurst > s.burstMaxReferrals) {
    findings.push({ rule: 'burst', count: inBurst, windowHours: s.burstWindowHours });
  }

  const domain = emailDomain(c.friend.email);
  if (domain && c.isDisposableDomain(domain)) findings.push({ rule: 'disposable_email', domain });

  for (const up of c.upstream) {
    const shared = sharedDetails(up.identity, c.friend);
    if (shared.length > 0) {
      findings.push({ rule: 'referral_cycle', viaAmbassadorId: up.ambassadorId, shared });
      break;
    }
  }

  let verdict: Verdict = 'eligible';
  for (const f of findings) {
    const v = RULE_VERDICT[f.rule];
    // Stryker disable next-line EqualityOperator: an equal weight is the same verdict
    if (VERDICT_WEIGHT[v] > VERDICT_WEIGHT[verdict]) verdict = v;
  }
  return { verdict, findings };
}
