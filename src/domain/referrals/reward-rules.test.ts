import { describe, expect, it } from 'vitest';
import { DAY_MS } from './fraud-rules.ts';
import {
  checkRedemption,
  decideRelease,
  effectiveStatus,
  holdEndsAt,
  initialStatus,
  rewardsForConversion,
  validUntil,
  welcomeReward,
  type ProgrammeRewards,
} from './reward-rules.ts';

const APK = {
  kind: 'voucher',
  description: 'Een gratis APK-keuring',
  costCents: 3500,
  validMonths: 12,
} as const;
const programme: ProgrammeRewards = {
  ambassador: APK,
  friend: {
    kind: 'discount',
    description: '10% op de eerste beurt',
    costCents: 2000,
    validMonths: 3,
  },
  milestones: [
    {
      friends: 3,
      reward: { kind: 'gift', description: 'Een taart', costCents: 1500, validMonths: null },
    },
  ],
  holdDays: 14,
};
const T = Date.UTC(2026, 0, 31, 10);

describe('reward rules', () => {
  it('rewards the ambassador for each converted friend and adds the milestone at the third', () => {
    expect(rewardsForConversion(programme, 0)).toEqual([
      { recipient: 'ambassador', reason: 'conversion', definition: APK, milestone: null },
    ]);
    const third = rewardsForConversion(programme, 2);
    expect(third.map((r) => r.reason)).toEqual(['conversion', 'milestone']);
    expect(third[1]?.milestone).toBe(3);
    expect(rewardsForConversion(programme, 3)).toHaveLength(1);
  });

  it('pays a milestone once: not again when the count reaches it a second time', () => {
    expect(rewardsForConversion(programme, 2, new Set([3])).map((r) => r.reason)).toEqual([
      'conversion',
    ]);
    // Another milestone earned does not stand in the way of this one.
    expect(rewardsForConversion(programme, 2, new Set([5])).map((r) => r.reason)).toEqual([
      'conversion',
      'milestone',
    ]);
  });

  it('gives the friend a welcome offer only in a double-sided programme', () => {
    expect(welcomeReward(programme)?.recipient).toBe('friend');
    expect(welcomeReward({ ...programme, friend: null })).toBeNull();
  });

  it('holds a reward for the hold period after the first paid visit', () => {
    expect(holdEndsAt(T, 14)).toBe(T + 14 * DAY_MS);
  });

  it('ends validity on the same day months later, clamped to the month', () => {
    expect(new Date(validUntil(T, 1) ?? 0).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(new Date(validUntil(T, 12) ?? 0).toISOString()).toBe('2027-01-31T10:00:00.000Z');
    expect(new Date(validUntil(Date.UTC(2027, 11, 15), 2) ?? 0).toISOString()).toBe(
      '2028-02-15T00:00:00.000Z',
    );
    expect(validUntil(T, null)).toBeNull();
  });

  it('creates no reward for an ineligible referral and waits for review when flagged', () => {
    expect(initialStatus('eligible')).toBe('pending');
    expect(initialStatus('review')).toBe('review');
    expect(initialStatus('ineligible')).toBeNull();
  });

  describe('release', () => {
    const pending = { status: 'pending' as const, holdUntil: T + 14 * DAY_MS };
    it('waits until the hold is over, then issues', () => {
      expect(decideRelease(pending, { cancelled: false }, T + DAY_MS)).toEqual({
        action: 'wait',
        until: pending.holdUntil,
      });
      expect(decideRelease(pending, { cancelled: false }, T + 14 * DAY_MS)).toEqual({
        action: 'issue',
      });
    });
    it('voids a reward whose first visit was refunded within the hold', () => {
      expect(decideRelease(pending, { cancelled: true }, T + DAY_MS)).toEqual({
        action: 'void',
        reason: 'conversion_cancelled',
      });
      expect(
        decideRelease({ status: 'review', holdUntil: null }, { cancelled: true }, T),
      ).toMatchObject({ action: 'void' });
    });
    it('leaves a reward in review to a person, however long the hold ran', () => {
      expect(
        decideRelease({ status: 'review', holdUntil: T }, { cancelled: false }, T + 99 * DAY_MS),
      ).toEqual({
        action: 'wait',
        until: null,
      });
    });
    it('never touches an issued reward, even after a refund', () => {
      expect(decideRelease({ status: 'issued', holdUntil: T }, { cancelled: true }, T)).toEqual({
        action: 'none',
      });
    });
  });

  describe('redemption', () => {
    const voucher = {
      kind: 'voucher' as const,
      status: 'issued' as const,
      validUntil: T + DAY_MS,
      redeemedAt: null,
    };
    it('accepts an issued voucher once', () => {
      expect(checkRedemption(voucher, T)).toEqual({ ok: true });
      expect(checkRedemption({ ...voucher, status: 'redeemed', redeemedAt: T }, T)).toEqual({
        ok: false,
        reason: 'already_redeemed',
        at: T,
      });
    });
    it('refuses an expired, voided, unissued voucher or a gift', () => {
      expect(checkRedemption(voucher, T + DAY_MS)).toEqual({
        ok: false,
        reason: 'expired',
        at: T + DAY_MS,
      });
      expect(effectiveStatus(voucher, T + DAY_MS)).toBe('expired');
      expect(effectiveStatus(voucher, T)).toBe('issued');
      expect(checkRedemption({ ...voucher, status: 'voided' }, T)).toMatchObject({
        reason: 'voided',
      });
      expect(checkRedemption({ ...voucher, status: 'pending' }, T)).toMatchObject({
        reason: 'not_yet_issued',
      });
      expect(checkRedemption({ ...voucher, status: 'review' }, T)).toMatchObject({
        reason: 'not_yet_issued',
      });
      expect(checkRedemption({ ...voucher, kind: 'gift' }, T)).toMatchObject({
        reason: 'not_redeemable',
      });
      expect(checkRedemption({ ...voucher, validUntil: null }, T + 9999 * DAY_MS)).toEqual({
        ok: true,
      });
    });
  });
});
