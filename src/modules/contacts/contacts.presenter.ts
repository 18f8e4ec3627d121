import type { ContactRow } from './contacts.repository.ts';
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
export function presentContact(c: ContactRow) {
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

export type ContactJson = ReturnType<typeof presentContact>;
