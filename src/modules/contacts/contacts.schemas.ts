import { z } from 'zod';
import { totalParam } from '../../platform/http/validation.ts';

const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((v) => (v === '' || v === undefined ? null : v));

/** Free CRM attributes: at most 50 string values with short keys. */
export const attributesSchema = z
  .record(z.string().trim().min(1).max(64), z.string().max(1000))
  .refine((r) => Object.keys(r).length <= 50, { params: { problem: 'too_big' } });

export const emailValue = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .nullish()
  .transform((v) => v ?? null);

/** Accepts +31 6 1234 5678, 06-12345678, (020) 123 45 67 and similar; stores as entered. */
export const phoneValue = z
  .string()
  .trim()
  .max(40)
  .refine((v) => v === '' || /^\+?[0-9][0-9 ()./-]{5,38}$/.test(v), {
    params: { problem: 'invalid_phone' },
  })
  .nullish()
  .transform((v) => (v ? v : null));

export const contactFields = {
  externalId: optionalText(100),
  name: optionalText(200),
  /** The name a greeting uses: "Beste Ingrid,". Never guessed from `name`. */
  firstName: optionalText(100),
  /** A salutation used as the greeting, e.g. "Geachte heer Jansen". */
  salutation: optionalText(100),
  email: emailValue,
  phone: phoneValue,
  language: z.enum(['nl', 'en'], { error: () => ({ message: 'invalid_language' }) }),
  ownerEmployeeId: z.uuid().nullish(),
  accountId: z.uuid().nullish(),
  segment: optionalText(100),
  /** The contact's location (vestiging): one of the organisation's, not archived. */
  locationId: z.uuid().nullish(),
  attributes: attributesSchema,
  consent: z.enum(['unknown', 'granted']),
};

export const createContactSchema = z
  .strictObject({
    ...contactFields,
    language: contactFields.language.optional(),
    attributes: contactFields.attributes.optional(),
    consent: contactFields.consent.optional(),
  })
  .refine((c) => c.email || c.externalId, {
    params: { problem: 'missing_identity' },
    path: ['email'],
  });
export type CreateContactInput = z.infer<typeof createContactSchema>;

export const updateContactSchema = z.strictObject({
  externalId: contactFields.externalId.optional(),
  name: contactFields.name.optional(),
  firstName: contactFields.firstName.optional(),
  salutation: contactFields.salutation.optional(),
  email: contactFields.email.optional(),
  phone: contactFields.phone.optional(),
  language: contactFields.language.optional(),
  ownerEmployeeId: contactFields.ownerEmployeeId.optional(),
  accountId: contactFields.accountId.optional(),
  segment: contactFields.segment.optional(),
  locationId: contactFields.locationId.optional(),
  attributes: contactFields.attributes.optional(),
});
export type UpdateContactInput = z.infer<typeof updateContactSchema>;

export const listContactsSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  total: totalParam,
  q: z.string().trim().max(200).optional(),
  ownerEmployeeId: z.uuid().optional(),
  accountId: z.uuid().optional(),
  segment: z.string().max(100).optional(),
  status: z.enum(['active', 'unsubscribed', 'bounced', 'erased']).optional(),
});
export type ListContactsInput = z.infer<typeof listContactsSchema>;
