import { describe, expect, it } from 'vitest';
import type { MatchRow } from './imports.repository.ts';
import { mergeContact, type MergeContext } from './merge-contact.ts';
import type { ImportContact } from './row-validation.ts';

const NOW = Date.UTC(2026, 10, 1, 9, 0, 0);
const ctx: MergeContext = {
  id: 'c1',
  organisationId: 'org',
  now: NOW,
  defaultLanguage: 'nl',
  accountId: null,
  source: 'import:imp1',
};
const row = (over: Partial<ImportContact> = {}): ImportContact => ({
  externalId: null,
  name: null,
  firstName: null,
  salutation: null,
  email: null,
  emailKey: null,
  phone: null,
  language: null,
  ownerEmployeeId: null,
  accountName: null,
  segment: null,
  locationId: null,
  attributes: {},
  consent: false,
  ...over,
});
const existing = (over: Partial<MatchRow> = {}): MatchRow => ({
  id: 'c1',
  external_id: 'K1',
  name: 'Jan de Vries',
  first_name: null,
  salutation: null,
  email: 'jan@example.nl',
  email_key: 'jan@example.nl',
  phone: '0612345678',
  language: 'en',
  owner_employee_id: 'e1',
  account_id: 'a1',
  segment: 'zakelijk',
  location_id: 'l1',
  attributes: '{"Kenteken":"AB-12-CD","Kleur":"rood"}',
  consent_status: 'unknown',
  consent_source: null,
  consent_at: null,
  created_at: 1000,
  ...over,
});

describe('mergeContact', () => {
  it('builds a new contact with the organisation language and a search key', () => {
    const result = mergeContact(
      null,
      row({ email: 'Zoe@Example.nl', emailKey: 'zoe@example.nl', name: 'Zoë' }),
      ctx,
    );
    expect(result).toMatchObject({
      ok: true,
      consentGranted: false,
      row: {
        id: 'c1',
        organisation_id: 'org',
        email: 'Zoe@Example.nl',
        email_key: 'zoe@example.nl',
        language: 'nl',
        attributes: '{}',
        consent_status: 'unknown',
        search_text: 'zoe zoe@example.nl',
        created_at: NOW,
        updated_at: NOW,
      },
    });
  });

  it('keeps stored values where the row is empty and overwrites where it is not', () => {
    const result = mergeContact(
      existing(),
      row({ externalId: 'K1', phone: '020-1234567', attributes: { Kleur: 'blauw' } }),
      ctx,
    );
    expect(result.ok && result.row).toMatchObject({
      name: 'Jan de Vries',
      email: 'jan@example.nl',
      phone: '020-1234567',
      language: 'en',
      owner_employee_id: 'e1',
      account_id: 'a1',
      segment: 'zakelijk',
      attributes: '{"Kenteken":"AB-12-CD","Kleur":"blauw"}',
      created_at: 1000,
      updated_at: NOW,
    });
  });

  it('grants consent once, with the import as source', () => {
    const granted = mergeContact(existing(), row({ consent: true }), ctx);
    expect(granted).toMatchObject({
      consentGranted: true,
      row: { consent_status: 'granted', consent_source: 'import:imp1', consent_at: NOW },
    });
    const again = mergeContact(
      existing({ consent_status: 'granted', consent_source: 'user:u1', consent_at: 5 }),
      row({ consent: true }),
      ctx,
    );
    expect(again).toMatchObject({
      consentGranted: false,
      row: { consent_status: 'granted', consent_source: 'user:u1', consent_at: 5 },
    });
  });

  it('does not overrule a withdrawal, and a "no" never withdraws', () => {
    expect(
      mergeContact(existing({ consent_status: 'withdrawn' }), row({ consent: true }), ctx),
    ).toMatchObject({
      consentGranted: false,
      row: { consent_status: 'withdrawn' },
    });
    expect(
      mergeContact(existing({ consent_status: 'granted' }), row({ consent: false }), ctx),
    ).toMatchObject({
      row: { consent_status: 'granted' },
    });
  });

  it('sets the location the row names and keeps the stored one when the cell is empty', () => {
    expect(mergeContact(existing(), row({ locationId: 'l2' }), ctx)).toMatchObject({
      row: { location_id: 'l2' },
    });
    expect(mergeContact(existing(), row(), ctx)).toMatchObject({ row: { location_id: 'l1' } });
    expect(mergeContact(null, row({ email: 'n@example.nl' }), ctx)).toMatchObject({
      row: { location_id: null },
    });
  });

  it('refuses to grow the attributes past 50', () => {
    const stored = JSON.stringify(
      Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`a${i}`, 'x'])),
    );
    expect(
      mergeContact(existing({ attributes: stored }), row({ attributes: { nieuw: 'y' } }), ctx),
    ).toEqual({
      ok: false,
      field: 'attributes',
      code: 'too_big',
      params: { max: 50 },
    });
    expect(
      mergeContact(existing({ attributes: stored }), row({ attributes: { a1: 'y' } }), ctx).ok,
    ).toBe(true);
  });
});
