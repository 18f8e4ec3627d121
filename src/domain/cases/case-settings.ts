import { z } from 'zod';
import { workingCalendar } from '../calendar/working-time.ts';
import type { WorkingCalendar } from '../calendar/working-time.ts';
import { parseIsoDate } from '../calendar/zoned-time.ts';

const minutes = z
  .number()
  .int()
  .min(0)
  .max(24 * 60);

/**
 * An organisation's closed-loop settings (PRODUCT.md principle 5), one object in the organisation's
 * settings. Every field has a default, so an organisation that never opens this screen still has
 * every detractor followed up within two working days.
 *
 * `openFor.contactRequests` defaults to on: a passive who ticks "you may contact me" and hears
 * nothing is let down by the very survey that asked — worse than not asking.
 */
export const caseSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  openFor: z
    .strictObject({
      passives: z.boolean().default(false),
      contactRequests: z.boolean().default(true),
      /** Words such as "klacht": a comment containing one (or a word starting with it) opens a case. */
      themeWords: z.array(z.string().trim().min(2).max(40)).max(20).default([]),
    })
    .default(() => ({ passives: false, contactRequests: true, themeWords: [] })),
  /** Promoters who may be contacted get a "thank you" task (a card, a small gift). */
  promoterThanks: z.boolean().default(true),
  /** Working days until the first contact is due (fractions allowed: 0.5 is half a day). */
  firstContactWorkingDays: z.number().min(0.25).max(20).default(2),
  /** Working days for a thank-you task; it never escalates. */
  thanksWorkingDays: z.number().min(0.25).max(60).default(10),
  /** Priority goes up one step from this customer value (attribute `value`), when known. */
  highValueFrom: z.number().min(0).nullable().default(null),
  /** Offer the "is it solved?" follow-up question after a case is resolved. */
  followUp: z.boolean().default(true),
  /** Hours after the resolution before the follow-up goes out (0: at once). */
  followUpDelayHours: z.number().min(0).max(720).default(24),
  /**
   * Who gets a new case when the contact has no account manager: the account's manager, else the
   * employee named for the contact's segment, else the next member of `roundRobinTeam` in turn.
   * With `overrideAccountManager`, the segment and team rules come first.
   */
  assignment: z
    .strictObject({
      bySegment: z.record(z.string().trim().min(1).max(100), z.string().min(1)).default({}),
      roundRobinTeam: z.string().trim().min(1).max(100).nullable().default(null),
      overrideAccountManager: z.boolean().default(false),
    })
    .default({ bySegment: {}, roundRobinTeam: null, overrideAccountManager: false }),
  officeHours: z
    .strictObject({
      days: z.array(z.number().int().min(0).max(6)).min(1).max(7).default([1, 2, 3, 4, 5]),
      opensAt: minutes.default(9 * 60),
      closesAt: minutes.default(17 * 60),
    })
    .refine((h) => h.opensAt < h.closesAt, { message: 'opensAt must be before closesAt' })
    .default({ days: [1, 2, 3, 4, 5], opensAt: 9 * 60, closesAt: 17 * 60 }),
  holidays: z
    .strictObject({
      goodFriday: z.boolean().default(false),
      liberationDay: z.enum(['every-year', 'lustrum', 'never']).default('lustrum'),
    })
    .default({ goodFriday: false, liberationDay: 'lustrum' }),
  closedDates: z
    .array(z.string().refine((d) => parseIsoDate(d) !== null, { message: 'expected YYYY-MM-DD' }))
    .max(400)
    .default([]),
});

export type CaseSettings = z.infer<typeof caseSettingsSchema>;

export const DEFAULT_CASE_SETTINGS: CaseSettings = caseSettingsSchema.parse({});

/** The working calendar the settings describe (Europe/Amsterdam). */
export function caseCalendar(settings: CaseSettings): WorkingCalendar {
  return workingCalendar({
    officeHours: settings.officeHours,
    holidays: settings.holidays,
    closedDates: settings.closedDates,
  });
}
