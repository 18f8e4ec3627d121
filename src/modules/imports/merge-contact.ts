import type { ContactTable, Locale } from '../../db/schema.ts';
import { phoneKey } from '../../domain/identity/identity.ts';
import { parseAttributes } from '../contacts/contacts.presenter.ts';
import { contactSearchText, emailKey } from '../contacts/contacts.service.ts';
import { MAX_ATTRIBUTES } from './header-mapping.ts';
import type { MatchRow } from './imports.repository.ts';
import type { ImportContact } from './row-validation.ts';

export interface MergeContext {
  id: string;
  organisationId: string;
  now: number;
  /** The organisation's language, for new contacts whose row names none. */
  defaultLanguage: Locale;
  accountId: string | null;
  /** `import:<id>`: where consent came from, on the contact and in its consent event. */
  source: string;
}

export type MergeResult =
  | { ok: true; row: ContactTable; consentGranted: boolean }
  | { ok: false; field: string; code: string; params: Record<string, number> };

/**
 * The contact row an import writes: a new contact from the row, or the existing one with every
 * non-empty cell of the row laid over it. Empty cells keep what is stored; attributes are merged
 * key by key; consent is only ever granted, never withdrawn, and an explicit withdrawal is not
 * overruled by a CRM flag. Unsubscribe, bounce and erasure state are not touched.
 */
export function mergeContact(
  existing: MatchRow | null,
  row: ImportContact,
  ctx: MergeContext,
): MergeResult {
  const attributes = { ...(existing ? parseAttributes(existing.attributes) : {}) };
  for (const [key, value] of Object.entries(row.attributes)) {
    Object.defineProperty(attributes, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (Object.keys(attributes).length > MAX_ATTRIBUTES) {
    return { ok: false, field: 'attributes', code: 'too_big', params: { max: MAX_ATTRIBUTES } };
  }
  const priorConsent = existing?.consent_status ?? 'unknown';
  const consentGranted = row.consent && priorConsent === 'unknown';
  const email = row.email ?? existing?.email ?? null;
  const merged: ContactTable = {
    id: ctx.id,
    organisation_id: ctx.organisationId,
    external_id: row.externalId ?? existing?.external_id ?? null,
    name: row.name ?? existing?.name ?? null,
    first_name: row.firstName ?? existing?.first_name ?? null,
    salutation: row.salutation ?? existing?.salutation ?? null,
    email,
    email_key: row.email ? row.emailKey : (existing?.email_key ?? emailKey(email)),
    phone: row.phone ?? existing?.phone ?? null,
    phone_key: phoneKey(row.phone ?? existing?.phone),
    language: row.language ?? existing?.language ?? ctx.defaultLanguage,
    owner_employee_id: row.ownerEmployeeId ?? existing?.owner_employee_id ?? null,
    account_id: ctx.accountId ?? existing?.account_id ?? null,
    segment: row.segment ?? existing?.segment ?? null,
    location_id: row.locationId ?? existing?.location_id ?? null,
    attributes: JSON.stringify(attributes),
    consent_status: consentGranted ? 'granted' : priorConsent,
    consent_source: consentGranted ? ctx.source : (existing?.consent_source ?? null),
    consent_at: consentGranted ? ctx.now : (existing?.consent_at ?? null),
    unsubscribed_at: null,
    bounced_at: null,
    erased_at: null,
    search_text: '',
    created_at: existing?.created_at ?? ctx.now,
    updated_at: ctx.now,
  };
  merged.search_text = contactSearchText(merged);
  return { ok: true, row: merged, consentGranted };
}
