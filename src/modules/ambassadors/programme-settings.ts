import { z } from 'zod';
import { DEFAULT_FRAUD_SETTINGS } from '../../domain/referrals/fraud-rules.ts';
import { DEFAULT_HOLD_DAYS, type ProgrammeRewards } from '../../domain/referrals/reward-rules.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

export const rewardDefinitionSchema = z.strictObject({
  kind: z.enum(['voucher', 'discount', 'gift']),
  /** The organisation's own words: "Een gratis APK-keuring". */
  description: text(120),
  costCents: z.number().int().min(0).max(10_000_00),
  validMonths: z.number().int().min(1).max(60).nullable().default(12),
});

/**
 * A referral programme in the organisation's words (issue 12): the offer the invitation email and
 * the pages show, what an ambassador and (double-sided) a friend receive, milestones, the hold
 * period and the fraud settings. One JSON column, parsed with defaults, so a PUT that leaves out a
 * setting gets its default.
 */
export const programmeSettingsSchema = z.strictObject({
  /** "Voor elke nieuwe klant die u aanbrengt: een gratis APK-keuring." */
  offer: text(300).default('Voor elke nieuwe klant die u aanbrengt: een gratis APK-keuring.'),
  /** What the friend is told on their page, e.g. "10 % korting op uw eerste onderhoudsbeurt". */
  friendOffer: text(300).nullable().default(null),
  ambassadorReward: rewardDefinitionSchema.default({
    kind: 'voucher',
    description: 'Een gratis APK-keuring',
    costCents: 3500,
    validMonths: 12,
  }),
  friendReward: rewardDefinitionSchema.nullable().default(null),
  milestones: z
    .array(
      z.strictObject({ friends: z.number().int().min(2).max(100), reward: rewardDefinitionSchema }),
    )
    .max(5)
    .default([]),
  holdDays: z.number().int().min(0).max(90).default(DEFAULT_HOLD_DAYS),
  attributionWindowDays: z
    .number()
    .int()
    .min(1)
    .max(365)
    .default(DEFAULT_FRAUD_SETTINGS.attributionWindowDays),
  burstMaxReferrals: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(DEFAULT_FRAUD_SETTINGS.burstMaxReferrals),
  burstWindowHours: z
    .number()
    .int()
    .min(1)
    .max(168)
    .default(DEFAULT_FRAUD_SETTINGS.burstWindowHours),
});

export type ProgrammeSettings = z.infer<typeof programmeSettingsSchema>;

export const DEFAULT_PROGRAMME_SETTINGS: ProgrammeSettings = programmeSettingsSchema.parse({});

export function parseProgrammeSettings(json: string): ProgrammeSettings {
  const parsed = programmeSettingsSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : DEFAULT_PROGRAMME_SETTINGS;
}

/** The rewards part, as the pure reward rules take it. */
export const programmeRewards = (s: ProgrammeSettings): ProgrammeRewards => ({
  ambassador: s.ambassadorReward,
  friend: s.friendReward,
  milestones: s.milestones,
  holdDays: s.holdDays,
});

export const fraudSettings = (s: ProgrammeSettings) => ({
  attributionWindowDays: s.attributionWindowDays,
  burstMaxReferrals: s.burstMaxReferrals,
  burstWindowHours: s.burstWindowHours,
});
