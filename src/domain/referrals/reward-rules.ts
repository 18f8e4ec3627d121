/**
 * Reward rules (issue 12, PRODUCT.md principle 7): what a conversion earns, when a reward may be
 * handed over, and whether a voucher may be redeemed. Pure: times come in as arguments.
 *
 * The life of a reward:
 *   pending ──(hold period over, conversion stands, verdict eligible)──► issued ──► redeemed
 *      │  └─(verdict review)──► review ──(staff approve)──► issued        └──(valid-until passes)──► expired
 *      └─(conversion cancelled or refunded within the hold, or staff reject)──► voided
 * A reward is pending from the friend's first paid visit; the hold (default 14 days) is the window
 * in which a cancellation or refund still voids it. A self-referral (verdict `ineligible`) earns no
 * reward at all: none is created.
 */

import { DAY_MS } from './fraud-rules.ts';
import type { Verdict } from './fraud-rules.ts';

export type RewardKind = 'voucher' | 'discount' | 'gift';
export type Recipient = 'ambassador' | 'friend';
export type RewardStatus = 'pending' | 'review' | 'issued' | 'redeemed' | 'expired' | 'voided';
export type RewardReason = 'conversion' | 'welcome' | 'milestone';

/** One kind of reward as the organisation describes it ("Een gratis APK-keuring"). */
export type RewardDefinition = Readonly<{
  kind: RewardKind;
  /** The organisation's own words, shown on the voucher and the counter screen. */
  description: string;
  /** What it costs the business, in euro cents (the ledger's cost column). */
  costCents: number;
  /** Months a voucher or discount stays valid after it is issued; null: no end. */
  validMonths: number | null;
}>;

export type Milestone = Readonly<{
  /** Reached when the ambassador's count of converted friends becomes exactly this. */
  friends: number;
  reward: RewardDefinition;
}>;

export type ProgrammeRewards = Readonly<{
  ambassador: RewardDefinition;
  /** The friend's welcome offer (double-sided programme), or null. */
  friend: RewardDefinition | null;
  milestones: readonly Milestone[];
  /** Days after the friend's first paid visit before the reward is issued (default 14). */
  holdDays: number;
}>;

export const DEFAULT_HOLD_DAYS = 14;

export interface RewardToCreate {
  recipient: Recipient;
  reason: RewardReason;
  definition: RewardDefinition;
  /** For milestones: the count reached. */
  milestone: number | null;
}

/**
 * The rewards one converted friend earns: the ambassador's reward, plus a milestone reward when
 * this conversion makes the ambassador's count reach it. `convertedBefore` counts the
 * ambassador's earlier conversions that still stand (voided ones do not count). A milestone is
 * earned once: `earned` are the milestones the ambassador holds a reward for that was not voided,
 * and a count that falls below one (a cancelled conversion) and reaches it again pays nothing new.
 * The friend's welcome offer is not here: it belongs to the lead (`welcomeReward`).
 */
export function rewardsForConversion(
  programme: ProgrammeRewards,
  convertedBefore: number,
  earned: ReadonlySet<number> = new Set(),
): RewardToCreate[] {
  const out: RewardToCreate[] = [
    {
      recipient: 'ambassador',
      reason: 'conversion',
      definition: programme.ambassador,
      milestone: null,
    },
  ];
  const count = convertedBefore + 1;
  for (const m of programme.milestones) {
    if (m.friends === count && !earned.has(count)) {
      out.push({
        recipient: 'ambassador',
        reason: 'milestone',
        definition: m.reward,
        milestone: count,
      });
    }
  }
  return out;
}

/** The friend's welcome offer for a new lead, if the programme has one. */
export function welcomeReward(programme: ProgrammeRewards): RewardToCreate | null {
  return programme.friend
    ? { recipient: 'friend', reason: 'welcome', definition: programme.friend, milestone: null }
    : null;
}

/** The end of the hold period after the friend's first paid visit. */
export const holdEndsAt = (convertedAt: number, holdDays: number): number =>
  convertedAt + holdDays * DAY_MS;

/**
 * The moment a voucher issued at `issuedAt` stops being valid: the same day of the month
 * `months` later (clamped to the month's last day, as 31 January + 1 month = 28/29 February), at
 * the same time; null when it never expires.
 */
export function validUntil(issuedAt: number, months: number | null): number | null {
  if (months === null) return null;
  const d = new Date(issuedAt);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Date.UTC(
    y,
    m,
    day,
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** The status a new reward starts in, from the referral's verdict. */
export function initialStatus(verdict: Verdict): 'pending' | 'review' | null {
  if (verdict === 'ineligible') return null;
  return verdict === 'review' ? 'review' : 'pending';
}

export type ReleaseDecision =
  | { action: 'issue' }
  | { action: 'void'; reason: 'conversion_cancelled' }
  | { action: 'wait'; until: number | null }
  | { action: 'none' };

/**
 * What happens to a reward that waits on its conversion, at `now`. A cancelled or refunded first
 * visit voids it while it is pending or in review (after issue the reward is the customer's; a
 * later refund is a business matter, not an automatic claw-back). A reward in review waits for a
 * person however long the hold has run.
 */
export function decideRelease(
  reward: { status: RewardStatus; holdUntil: number | null },
  conversion: { cancelled: boolean },
  now: number,
): ReleaseDecision {
  if (reward.status !== 'pending' && reward.status !== 'review') return { action: 'none' };
  if (conversion.cancelled) return { action: 'void', reason: 'conversion_cancelled' };
  if (reward.status === 'review') return { action: 'wait', until: null };
  if (reward.holdUntil === null) return { action: 'wait', until: null };
  if (now < reward.holdUntil) return { action: 'wait', until: reward.holdUntil };
  return { action: 'issue' };
}

/** The status a reward shows at `now`: an issued voucher past its validity reads as expired. */
export function effectiveStatus(
  reward: { status: RewardStatus; validUntil: number | null },
  now: number,
): RewardStatus {
  if (reward.status === 'issued' && reward.validUntil !== null && now >= reward.validUntil) {
    return 'expired';
  }
  return reward.status;
}

export type RedemptionCheck =
  | { ok: true }
  | {
      ok: false;
      reason: 'already_redeemed' | 'expired' | 'voided' | 'not_yet_issued' | 'not_redeemable';
      at: number | null;
    };

/**
 * May this reward be redeemed at the counter now? Only an issued, unexpired voucher or discount;
 * a gift is handed over, not redeemed by code. The answer names why not, with the moment that
 * matters (when it was redeemed, when it expired).
 */
export function checkRedemption(
  reward: {
    kind: RewardKind;
    status: RewardStatus;
    validUntil: number | null;
    redeemedAt: number | null;
  },
  now: number,
): RedemptionCheck {
  if (reward.status === 'redeemed') {
    return { ok: false, reason: 'already_redeemed', at: reward.redeemedAt };
  }
  if (reward.status === 'voided') return { ok: false, reason: 'voided', at: null };
  if (reward.status === 'pending' || reward.status === 'review') {
    return { ok: false, reason: 'not_yet_issued', at: null };
  }
  if (effectiveStatus(reward, now) === 'expired') {
    return { ok: false, reason: 'expired', at: reward.validUntil };
  }
  if (reward.kind === 'gift') return { ok: false, reason: 'not_redeemable', at: null };
  return { ok: true };
}
