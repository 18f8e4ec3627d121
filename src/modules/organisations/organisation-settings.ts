import { z } from 'zod';
import { imageUrlSchema } from '../../platform/http/validation.ts';
import { DEFAULT_CONTACT_RULES } from '../../domain/contact-rules/contact-rules.ts';
import { caseSettingsSchema } from '../../domain/cases/case-settings.ts';

/**
 * The contact-frequency rules of PRODUCT.md principle 3, once per organisation. Every field has the
 * default of `DEFAULT_CONTACT_RULES`, so a PATCH that names one rule keeps the defaults for the rest
 * (the object is replaced as a whole). Bounds keep a typo from switching the rules off.
 */
export const contactRulesSchema = z.strictObject({
  maxInvitationsPer365Days: z
    .number()
    .int()
    .min(1)
    .max(12)
    .default(DEFAULT_CONTACT_RULES.maxInvitationsPer365Days),
  minDaysBetweenInvitations: z
    .number()
    .min(0)
    .max(365)
    .default(DEFAULT_CONTACT_RULES.minDaysBetweenInvitations),
  accountMaxContactsPerWindow: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(DEFAULT_CONTACT_RULES.accountMaxContactsPerWindow),
  accountWindowDays: z.number().min(0).max(365).default(DEFAULT_CONTACT_RULES.accountWindowDays),
  recentResponseDays: z.number().min(0).max(365).default(DEFAULT_CONTACT_RULES.recentResponseDays),
  reminderAfterDays: z.number().min(1).max(30).default(DEFAULT_CONTACT_RULES.reminderAfterDays),
  maxReminders: z.union([z.literal(0), z.literal(1)]).default(DEFAULT_CONTACT_RULES.maxReminders),
});

/** One comment theme an organisation defines: a label in both languages and its terms. */
export const themeSchema = z.strictObject({
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,40}$/),
  label: z.strictObject({
    nl: z.string().trim().min(1).max(60),
    en: z.string().trim().min(1).max(60),
  }),
  terms: z.array(z.string().trim().min(2).max(60)).min(1).max(100),
});

/**
 * Organisation settings live in one JSON column so later waves (contact rules, branding, the works
 * council switch for per-employee NPS) add fields without a migration. Parsing fills defaults.
 */
export const settingsSchema = z.object({
  brandColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .default('#1f6f5c'),
  logoUrl: imageUrlSchema.nullable().default(null),
  /** An uploaded logo (`logos` table), served from this installation; wins over `logoUrl`. */
  logoId: z.uuid().nullable().default(null),
  senderName: z.string().max(100).nullable().default(null),
  /** Where customers' replies to an invitation go (Reply-To), whichever server sends it. */
  replyTo: z.string().trim().max(254).pipe(z.email()).nullable().default(null),
  /**
   * How customer-facing default texts address the customer in Dutch: "u" or "je". Default "u":
   * the businesses Loyaal is made for (a garage, an installer, an accountant) write to customers
   * of every age, and "u" never offends in a first email while "je" can (see README).
   */
  formality: z.enum(['u', 'je']).default('u'),
  /**
   * The demo organisation (`npm run demo`): its two years of invitations are simulated — no email
   * was ever sent, so the outbox holds none — and it never sends real mail, whatever server the
   * installation has: new sends stay in the local outbox. Set by the seeder only.
   */
  demo: z.boolean().default(false),
  /** Per-employee NPS may need the works council's consent (PRODUCT.md); it can be switched off. */
  employeeNpsEnabled: z.boolean().default(true),
  retentionMonths: z.number().int().min(6).max(120).default(36),
  /** Contact-frequency rules for every send of the organisation (issue 3). */
  contactRules: contactRulesSchema.default(() => contactRulesSchema.parse({})),
  /** The closed loop (issue 9): which answers open a case, office hours, holidays, assignment. */
  cases: caseSettingsSchema.default(() => caseSettingsSchema.parse({})),
  /** The comment themes' dictionary (issue 10); null: Loyaal's Dutch and English defaults. */
  themes: z.array(themeSchema).max(40).nullable().default(null),
});

export type OrganisationSettings = z.infer<typeof settingsSchema>;

export function parseSettings(json: string): OrganisationSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  const parsed = settingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // A logo address stored before only https: was allowed (`javascript:`…) is dropped, not the rest.
  const withoutLogo = settingsSchema.safeParse({ ...(raw as object), logoUrl: null });
  return withoutLogo.success ? withoutLogo.data : settingsSchema.parse({});
}
