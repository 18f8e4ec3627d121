import type { PersonalDataHolder } from '../../platform/contract.ts';
import { identifierFingerprints } from '../../shared/erased-identifiers.ts';
import { presentContact } from './contacts.presenter.ts';
import * as repo from './contacts.repository.ts';

export const contactHolder: PersonalDataHolder = {
  name: 'contact',
  async export(db, organisationId, contactId) {
    const row = await repo.findContact(db, organisationId, contactId);
    return row ? presentContact(row) : null;
  },
  async erase(db, organisationId, contactId, now) {
    const row = await repo.findContact(db, organisationId, contactId);
    if (row && row.erased_at === null) {
      // What stays of the identifiers: fingerprints, so a later visit is refused as "erased".
      const prints = identifierFingerprints(organisationId, {
        externalId: row.external_id,
        email: row.email,
        phone: row.phone,
      });
      await repo.insertErasedIdentifiers(db, organisationId, contactId, prints, now);
    }
    await repo.updateContact(db, organisationId, contactId, {
      external_id: null,
      name: null,
      first_name: null,
      salutation: null,
      email: null,
      email_key: null,
      phone: null,
      phone_key: null,
      attributes: '{}',
      search_text: '',
      consent_source: null,
      erased_at: now,
      updated_at: now,
    });
  },
};

export const consentEventsHolder: PersonalDataHolder = {
  name: 'consentEvents',
  async export(db, organisationId, contactId) {
    const events = await repo.listConsentEvents(db, organisationId, contactId);
    return events.map((e) => ({
      kind: e.kind,
      source: e.source,
      at: new Date(e.created_at).toISOString(),
    }));
  },
  // Consent events hold no personal data beyond the (now anonymous) contact id: they are kept as
  // proof of what consent existed when.
  async erase() {},
};

export const erasedIdentifiersHolder: PersonalDataHolder = {
  name: 'erasedIdentifiers',
  // Fingerprints cannot be read back; the export says how many there are.
  async export(db, organisationId, contactId) {
    return { fingerprints: await repo.countErasedIdentifiers(db, organisationId, contactId) };
  },
  // They are what makes an erasure last (a later visit is refused by name), so they stay.
  async erase() {},
};
