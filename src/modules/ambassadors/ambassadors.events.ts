import { z } from 'zod';
import { defineEvent } from '../../platform/events/define-event.ts';

/**
 * The programme's events (issue 12), emitted in the transaction of their cause. They carry ids and
 * facts, never a friend's or ambassador's details: a webhook subscriber that needs more reads it
 * through the API.
 */
export const ambassadorJoinedData = z.object({
  ambassadorId: z.string(),
  contactId: z.string(),
  source: z.enum(['survey', 'staff']),
  responseId: z.string().nullable(),
});

export const ambassadorJoined = defineEvent('ambassador.joined', ambassadorJoinedData);

export const referralCreatedData = z.object({
  referralId: z.string(),
  ambassadorId: z.string(),
  source: z.enum(['link', 'staff']),
  verdict: z.enum(['eligible', 'review', 'ineligible']),
});

export const referralCreated = defineEvent('referral.created', referralCreatedData);

export const referralConvertedData = z.object({
  referralId: z.string(),
  ambassadorId: z.string(),
  contactId: z.string(),
  amountCents: z.number().int().nullable(),
  convertedAt: z.number(),
  verdict: z.enum(['eligible', 'review', 'ineligible']),
});

export const referralConverted = defineEvent('referral.converted', referralConvertedData);

export const rewardIssuedData = z.object({
  rewardId: z.string(),
  referralId: z.string(),
  ambassadorId: z.string(),
  recipient: z.enum(['ambassador', 'friend']),
  kind: z.enum(['voucher', 'discount', 'gift']),
  costCents: z.number().int(),
  validUntil: z.number().nullable(),
});

export const rewardIssued = defineEvent('reward.issued', rewardIssuedData);

export const rewardRedeemedData = z.object({
  rewardId: z.string(),
  ambassadorId: z.string(),
  recipient: z.enum(['ambassador', 'friend']),
  redeemedAt: z.number(),
  via: z.enum(['counter', 'api']),
});

export const rewardRedeemed = defineEvent('reward.redeemed', rewardRedeemedData);
