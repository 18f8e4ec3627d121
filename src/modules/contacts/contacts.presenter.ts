import { z } from 'zod';
import type { ContactRow } from './contacts.repository.ts';
import { timestamp } from '../../shared/api-schemas.ts';
import { iso } from '../../shared/time.ts';

export function parseAttributes(json: string): Record<string, string> {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** The one JSON shape of a contact, for the API and the admin app. */
export const contactSchema = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  name: z.string().nullable(),
  firstName: z.string().nullable(),
  salutation: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  language: z.enum(['nl', 'en']),
  ownerEmployeeId: z.string().nullable(),
  accountId: z.string().nullable(),
  segment: z.string().nullable(),
  locationId: z.string().nullable(),
  attributes: z.record(z.string(), z.string()),
  consent: z.object({
    status: z.enum(['unknown', 'granted', 'withdrawn']),
    source: z.string().nullable(),
    at: timestamp.nullable(),
  }),
  status: z.enum(['active', 'unsubscribed', 'bounced', 'erased']),
  unsubscribedAt: timestamp.nullable(),
  bouncedAt: timestamp.nullable(),
  erasedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type ContactJson = z.output<typeof contactSchema>;

/** One entry of a contact's consent and unsubscribe history. */
export const consentEventSchema = z.object({
  id: z.string(),
  kind: z.enum([
    'granted',
    'withdrawn',
    'unsubscribed',
    'resubscribed',
    'bounced',
    'complained',
    'review_unsubscribed',
  ]),
  source: z.string(),
  at: timestamp,
});

export function presentContact(c: ContactRow): ContactJson {
  return {
    id: c.id,
    externalId: c.external_id,
    name: c.name,
    firstName: c.first_name,
    salutation: c.salutation,
    email: c.email,
    phone: c.phone,
    language: c.language,
    ownerEmployeeId: c.owner_employee_id,
    accountId: c.account_id,
    segment: c.segment,
    locationId: c.location_id,
    attributes: parseAttributes(c.attributes),
    consent: { status: c.consent_status, source: c.consent_source, at: iso(c.consent_at) },
    status:
      c.erased_at !== null
        ? 'erased'
        : c.bounced_at !== null
          ? 'bounced'
          : c.unsubscribed_at !== null
            ? 'unsubscribed'
            : 'active',
    unsubscribedAt: iso(c.unsubscribed_at),
    bouncedAt: iso(c.bounced_at),
    erasedAt: iso(c.erased_at),
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}
