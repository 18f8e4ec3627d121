import type { Executor } from '../../src/db/database.ts';
import type { Kysely } from 'kysely';
import type { ContactTable, Database } from '../../src/db/schema.ts';
import { contactSearchText } from '../../src/modules/contacts/contacts.service.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';
import { newId } from '../../src/shared/ids.ts';

/**
 * Bulk seeding for benchmarks and load-style tests (thousands of rows): an organisation with an
 * owner, and many plain contacts inserted in chunks below both dialects' parameter limits.
 */
export async function seedOrganisation(
  db: Kysely<Database>,
  name: string,
  now: number,
): Promise<string> {
  const { organisationId } = await db.transaction().execute((trx) =>
    createOrganisationWithOwner(
      trx,
      {
        organisationName: name,
        locale: 'nl',
        name: 'Eigenaar',
        email: `owner-${newId().slice(-12)}@example.nl`,
        password: 'correct horse battery',
      },
      now,
    ),
  );
  return organisationId;
}

export interface BulkContactOptions {
  /** Every n-th contact speaks English (default: every fifth). */
  englishEvery?: number;
  segment?: (n: number) => string | null;
  externalId?: (n: number) => string | null;
  createdAt?: (n: number) => number;
  /** The contact's email address (default `klant<n>@example.nl`). */
  email?: (n: number) => string;
}

export async function insertBulkContacts(
  db: Executor,
  organisationId: string,
  count: number,
  now: number,
  options: BulkContactOptions = {},
): Promise<ContactTable[]> {
  const contacts: ContactTable[] = Array.from({ length: count }, (_, n) => {
    const row: ContactTable = {
      id: newId(),
      organisation_id: organisationId,
      external_id: options.externalId?.(n) ?? null,
      name: `Klant ${n}`,
      first_name: null,
      salutation: null,
      email: options.email?.(n) ?? `klant${n}@example.nl`,
      email_key: (options.email?.(n) ?? `klant${n}@example.nl`).toLowerCase(),
      phone: null,
      phone_key: null,
      language: n % (options.englishEvery ?? 5) === 0 ? 'en' : 'nl',
      owner_employee_id: null,
      account_id: null,
      segment: options.segment?.(n) ?? null,
      location_id: null,
      attributes: '{}',
      consent_status: 'unknown',
      consent_source: null,
      consent_at: null,
      unsubscribed_at: null,
      bounced_at: null,
      erased_at: null,
      search_text: '',
      created_at: options.createdAt?.(n) ?? now,
      updated_at: now,
    };
    row.search_text = contactSearchText(row);
    return row;
  });
  for (let i = 0; i < contacts.length; i += 200) {
    await db
      .insertInto('contacts')
      .values(contacts.slice(i, i + 200))
      .execute();
  }
  return contacts;
}
