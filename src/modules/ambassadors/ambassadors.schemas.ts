import { z } from 'zod';
import { timestamp } from '../../shared/api-schemas.ts';
import { programmeSettingsSchema } from './programme-settings.ts';

/**
 * The answers of the programme's staff API (issue 12), written once: presenters are typed by
 * these schemas, the routes describe their answers with them, and the admin app imports the
 * derived types.
 */

const verdict = z.enum(['eligible', 'review', 'ineligible']);
const rewardStatus = z.enum(['pending', 'review', 'issued', 'redeemed', 'expired', 'voided']);

/** What a friend-page visit is, for every figure that counts them (domain/referrals/page-views.ts). */
const VISITS =
  'Visits to the friend’s page since the ambassador joined: people opening the link; HEAD requests, requests without a User-Agent and link-preview fetchers (WhatsApp, Facebook, iMessage, Slack, Teams, Telegram, Twitter/X, Google, …) are not counted';

export const okSchema = z.object({ ok: z.literal(true) });
export const createdSchema = z.object({ id: z.string() });

export const programmeSchema = z.object({
  enabled: z.boolean(),
  settings: programmeSettingsSchema,
  counterUrl: z
    .string()
    .nullable()
    .describe('The counter’s secret redeem link; owners and admins only'),
});
export type ProgrammeJson = z.output<typeof programmeSchema>;

export const findingSchema = z.object({ rule: z.string(), text: z.string() });

export const registerRowSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  status: z.enum(['active', 'paused', 'removed']),
  code: z.string(),
  ownerEmployeeId: z.string().nullable(),
  ownerName: z.string().nullable(),
  latestScore: z.number().int().nullable(),
  referrals: z.number().int(),
  conversions: z.number().int(),
  rewards: z.number().int(),
  friendPageViews: z.number().int().describe(VISITS),
  showName: z.boolean(),
  consent: z.object({
    text: z.string(),
    source: z.enum(['survey', 'staff']),
    at: timestamp.nullable(),
    byUserId: z.string().nullable(),
    note: z.string().nullable(),
  }),
  invitedAt: timestamp.nullable(),
  unsubscribedAt: timestamp.nullable(),
  joinedAt: timestamp.nullable(),
});
export type RegisterRowJson = z.output<typeof registerRowSchema>;

export const referralSchema = z.object({
  id: z.string(),
  ambassadorId: z.string(),
  ambassadorName: z.string().nullable(),
  source: z.enum(['link', 'staff']),
  status: z.enum(['lead', 'contacted', 'converted', 'lost']),
  friend: z.object({
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
  }),
  consent: z.object({ text: z.string().nullable(), at: timestamp.nullable() }),
  verdict,
  findings: z.array(findingSchema),
  contactId: z.string().nullable(),
  convertedAt: timestamp.nullable(),
  conversionAmountCents: z.number().int().nullable(),
  conversionReference: z.string().nullable(),
  conversionCancelledAt: timestamp.nullable(),
  createdAt: timestamp.nullable(),
});
export type ReferralJson = z.output<typeof referralSchema>;

export const rewardSchema = z.object({
  id: z.string(),
  referralId: z.string(),
  ambassadorId: z.string(),
  ambassadorName: z.string().nullable(),
  friendName: z.string().nullable(),
  recipient: z.enum(['ambassador', 'friend']),
  reason: z.enum(['conversion', 'welcome', 'milestone']),
  milestone: z.number().int().nullable(),
  kind: z.enum(['voucher', 'discount', 'gift']),
  description: z.string(),
  costCents: z.number().int(),
  status: rewardStatus,
  code: z.string(),
  voucherUrl: z.string(),
  holdUntil: timestamp.nullable(),
  issuedAt: timestamp.nullable(),
  validUntil: timestamp.nullable(),
  redeemedAt: timestamp.nullable(),
  voidedAt: timestamp.nullable(),
  voidReason: z.string().nullable(),
  reviewNote: z.string().nullable(),
  findings: z.array(findingSchema),
  createdAt: timestamp.nullable(),
});
export type RewardJson = z.output<typeof rewardSchema>;

export const ambassadorDetailSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  name: z.string().nullable(),
  status: z.enum(['active', 'paused', 'removed']),
  shareUrl: z.string(),
  linkUrl: z.string(),
  scores: z.array(
    z.object({
      score: z.number().int(),
      category: z.enum(['promoter', 'passive', 'detractor']),
      answeredAt: timestamp,
    }),
  ),
  referrals: z.array(referralSchema),
  rewards: z.array(rewardSchema),
  /** The ambassador's row of the register: consent record, code, owner, counts. */
  register: registerRowSchema,
});
export type AmbassadorDetailJson = z.output<typeof ambassadorDetailSchema>;

export const rewardLedgerSchema = z.object({
  items: z.array(rewardSchema),
  totals: z.array(
    z.object({ status: rewardStatus, count: z.number().int(), costCents: z.number().int() }),
  ),
});
export type RewardLedgerJson = z.output<typeof rewardLedgerSchema>;

export const redeemedSchema = z.object({
  id: z.string(),
  description: z.string(),
  redeemedAt: timestamp,
});

export const conversionResultSchema = z.object({ verdict, contactId: z.string() });
export const cancelResultSchema = z.object({ voided: z.number().int() });

export const taskSchema = z.object({
  id: z.string(),
  ambassadorId: z.string(),
  ambassadorName: z.string().nullable(),
  kind: z.enum(['welcome', 'referral']),
  referralId: z.string().nullable(),
  doneAt: timestamp.nullable(),
  createdAt: timestamp,
});
export type TaskJson = z.output<typeof taskSchema>;

const rate = z.number().nullable();

/** The ambassadors the dashboard's table names, at most; the rest are summed on one row. */
export const NAMED_AMBASSADORS = 100;

export const dashboardSchema = z.object({
  days: z.number().int(),
  ambassadors: z
    .number()
    .int()
    .describe('In the register now, active or paused (as in perAmbassador and the pool)'),
  shareVisits: z
    .number()
    .int()
    .describe(
      `${VISITS}; summed over the ambassadors counted in \`ambassadors\`, not limited to the period`,
    ),
  leads: z.number().int(),
  conversions: z.number().int(),
  revenueCents: z.number().int(),
  promoters: z.number().int(),
  rates: z.object({
    visitToLead: rate.describe(
      'Friend-page sign-ups per friend-page visit, both since joining, of the ambassadors in `ambassadors` (a visit has no time of its own, so the period does not apply)',
    ),
    leadToConversion: rate,
    leadsPerAmbassador: rate,
  }),
  poolShare: rate,
  rewardCostCents: z
    .number()
    .int()
    .describe(
      'Cost of the rewards created in the period (when the conversion or sign-up earned them), voided ones not counted: the sum of `perAmbassador`, `otherAmbassadors` and `removedAmbassadors`',
    ),
  perOwner: z.array(
    z.object({
      ownerEmployeeId: z.string().nullable(),
      ownerName: z.string().nullable(),
      leads: z.number().int(),
      conversions: z.number().int(),
      revenueCents: z.number().int(),
    }),
  ),
  perAmbassador: z
    .array(
      z.object({
        ambassadorId: z.string(),
        name: z.string().nullable(),
        shareVisits: z.number().int().describe(VISITS),
        leads: z.number().int(),
        conversions: z.number().int(),
        revenueCents: z.number().int(),
        rewardCostCents: z.number().int(),
      }),
    )
    .describe(
      `The ambassadors in the register with a figure (visits, leads, revenue or reward cost), most conversions first; at most ${NAMED_AMBASSADORS}, the rest summed in \`otherAmbassadors\``,
    ),
  otherAmbassadors: z
    .object({
      ambassadors: z.number().int().describe('Ambassadors summed on this row'),
      shareVisits: z.number().int().describe(VISITS),
      leads: z.number().int(),
      conversions: z.number().int(),
      revenueCents: z.number().int(),
      rewardCostCents: z.number().int(),
    })
    .nullable()
    .describe(
      `The ambassadors in the register beyond the first ${NAMED_AMBASSADORS} of \`perAmbassador\`, together, so the table still adds up to the totals. Null when \`perAmbassador\` names them all.`,
    ),
  removedAmbassadors: z
    .object({
      ambassadors: z
        .number()
        .int()
        .describe('Removed ambassadors with leads, revenue or reward cost in the period'),
      leads: z.number().int(),
      conversions: z.number().int(),
      revenueCents: z.number().int(),
      rewardCostCents: z.number().int(),
    })
    .nullable()
    .describe(
      'The ambassadors removed from the register since, together: their leads, conversions, revenue and reward cost in the period, which the totals count (they happened) and `perAmbassador` has no row for. Null when they had none.',
    ),
  pool: z
    .array(
      z.object({
        month: z.string().describe('YYYY-MM'),
        ambassadors: z.number().int().describe('In the register at the end of the month'),
        promoters: z.number().int().describe('Customers who gave a 9 or 10 that month'),
      }),
    )
    .describe('The pool’s size over time against the promoters of each month'),
});
export type DashboardJson = z.output<typeof dashboardSchema>;

/** What the counter sees after typing a code: what it is worth, for whom, and whether it can go. */
export const voucherCheckSchema = z.object({
  id: z.string(),
  code: z.string(),
  description: z.string(),
  kind: z.enum(['voucher', 'discount', 'gift']),
  recipient: z.enum(['ambassador', 'friend']),
  holderName: z.string().nullable(),
  status: rewardStatus,
  validUntil: timestamp.nullable(),
  redeemedAt: timestamp.nullable(),
  redeemable: z.boolean(),
  refusal: z
    .enum(['already_redeemed', 'expired', 'voided', 'not_yet_issued', 'not_redeemable'])
    .nullable()
    .describe('Why it cannot be redeemed; null when it can'),
});
export type VoucherCheckJson = z.output<typeof voucherCheckSchema>;
