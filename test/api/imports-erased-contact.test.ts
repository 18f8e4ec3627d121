import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { updateContacts } from '../../src/modules/imports/imports.repository.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { fileUpload } from '../support/uploads.ts';
import { buildContact } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

/**
 * An import read a contact, then the contact was erased before the import wrote its batch (AVG
 * art. 17): the import's update must not write the person back. The batch writer skips an erased
 * contact and says how many it wrote; the import then throws, so its transaction keeps nothing and
 * the next attempt no longer finds the person (`src/modules/imports/contact-rows.ts`). On
 * PostgreSQL the condition is checked again on the row an erasure committed meanwhile.
 */
describeEachDialect('imports: a contact erased while its import ran', (dialect) => {
  let t: TestApp;
  let organisationId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    await buildOrganisation(t, 'Installatiebedrijf Jansen');
    organisationId = (
      await t.db.kysely.selectFrom('organisations').select('id').executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => t.close());

  it('writes the live contact and leaves the erased one erased', async () => {
    const live = await buildContact(t.db.kysely, organisationId, {
      name: 'Joost Visser',
      email: 'joost@example.nl',
    });
    const erased = await buildContact(t.db.kysely, organisationId, {
      name: 'Pieter Bos',
      email: 'pieter@example.nl',
      phone: '0612345678',
    });
    // What the import read before the erasure committed.
    const read = [live, erased];
    await t.db.kysely
      .updateTable('contacts')
      .set({ name: null, email: null, email_key: null, phone: null, erased_at: t.clock.now })
      .where('id', '=', erased.id)
      .execute();

    const written = await updateContacts(
      t.db.kysely,
      read.map((c) => ({ ...c, name: `${c.name ?? ''} (uit het bestand)`, segment: 'Zakelijk' })),
    );
    expect(written).toBe(1);
    const rows = await t.db.kysely
      .selectFrom('contacts')
      .select(['id', 'name', 'email', 'phone', 'segment', 'erased_at'])
      .where('id', 'in', [live.id, erased.id])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(live.id)).toMatchObject({
      name: 'Joost Visser (uit het bestand)',
      segment: 'Zakelijk',
      erased_at: null,
    });
    expect(byId.get(erased.id)).toMatchObject({
      name: null,
      email: null,
      phone: null,
      segment: null,
    });
    expect(byId.get(erased.id)?.erased_at).not.toBeNull();
  });
});

interface ErrorsJson {
  items: Array<{
    line: number;
    field: string | null;
    code: string;
    value: string | null;
    message: string;
  }>;
}

/**
 * A customer erased on request (AVG art. 17) is still in the CRM export the business imports every
 * month. Erasure kept only fingerprints of the customer number, email address and phone number
 * (`src/shared/erased-identifiers.ts`); an import row that no stored contact answers to and that
 * carries one of them is rejected, so the person is not created again, and the report names the
 * field without repeating the identifier.
 */
describeEachDialect('imports: an erased customer is not imported again', (dialect) => {
  let t: TestApp;
  let dataDir: string;
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-erased-import-'));
    t = await startTestApp(dialect, { DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function validated(owner: Client, file: string) {
    const up = await owner.request({
      method: 'POST',
      url: '/api/v1/imports',
      ...fileUpload('crm.csv', file),
    });
    expect(up.statusCode, up.body).toBe(201);
    const imp = up.json<{ id: string; detected: { suggestedMapping: Record<string, string> } }>();
    expect(imp.detected.suggestedMapping).toMatchObject({
      Klantnummer: 'externalId',
      'E-mailadres': 'email',
      Telefoon: 'phone',
    });
    const validate = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/validate`,
      payload: { mapping: imp.detected.suggestedMapping },
    });
    expect(validate.statusCode, validate.body).toBe(200);
    await drain();
    return imp.id;
  }
  async function commitValidRows(owner: Client, id: string) {
    const commit = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${id}/commit`,
      payload: { mode: 'valid_only' },
    });
    expect(commit.statusCode, commit.body).toBe(200);
    await drain();
    const done = await owner.request({ url: `/api/v1/imports/${id}` });
    return done.json<{ status: string; progress: { created: number; rejected: number } }>();
  }
  async function erase(owner: Client, contactId: string) {
    const erased = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${contactId}/erase`,
    });
    expect(erased.statusCode, erased.body).toBe(204);
    await drain();
  }
  const contactsOf = (org: string) =>
    t.db.kysely
      .selectFrom('contacts')
      .select(['id', 'external_id', 'email', 'phone', 'erased_at'])
      .where('organisation_id', '=', org)
      .execute();

  it('rejects a row with an erased customer number or email address, keeps no trace of it, and imports the rest', async () => {
    const owner = await buildOrganisation(t, 'Garage Van Dijk');
    const org = owner.organisationId;
    const pieter = await buildContact(t.db.kysely, org, {
      name: 'Pieter Bos',
      external_id: 'K-100',
      email: 'pieter@example.nl',
      phone: '0612345678',
    });
    await buildContact(t.db.kysely, org, {
      name: 'Joost Visser',
      external_id: 'K-500',
      email: 'joost@example.nl',
    });
    await erase(owner, pieter.id);

    const id = await validated(
      owner,
      [
        'Klantnummer;Naam;E-mailadres;Telefoon',
        'K-100;Pieter Bos;;',
        ';P. Bos;PIETER@example.nl;',
        // The first row again: a repeat, which keeps no trace of him either.
        'K-100;Pieter Bos;;',
        // The erased customer's phone number alone: a switchboard or a household shares one.
        'K-300;Anna Bos;;+31 6 1234 5678',
        'K-400;Nieuwe Klant;nieuw@example.nl;',
        'K-500;Joost Visser;joost@example.nl;',
      ].join('\r\n'),
    );
    const errors = await owner.request({ url: `/api/v1/imports/${id}/errors` });
    expect(errors.statusCode, errors.body).toBe(200);
    const items = errors.json<ErrorsJson>().items;
    expect(items.map(({ line, field, code, value }) => ({ line, field, code, value }))).toEqual([
      { line: 2, field: 'externalId', code: 'erased_not_imported', value: null },
      { line: 3, field: 'email', code: 'erased_not_imported', value: null },
      { line: 4, field: 'externalId', code: 'duplicate_in_file', value: null },
    ]);
    // In the owner's language, from the catalogue.
    expect(items[0]?.message).toMatch(/gewist \(AVG\)/);
    // The rejected-rows file gives the reasons, not the erased person's rows.
    const rejected = await owner.request({ url: `/api/v1/imports/${id}/rejected` });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.body).toMatch(/gewist \(AVG\)/);
    expect(rejected.body).not.toMatch(/K-100|pieter|Bos/i);
    const stored = await t.db.kysely
      .selectFrom('import_rejected_rows')
      .select(['cells', 'email'])
      .where('import_id', '=', id)
      .execute();
    expect(stored).toEqual([
      { cells: '[]', email: null },
      { cells: '[]', email: null },
      { cells: '[]', email: null },
    ]);

    expect(await commitValidRows(owner, id)).toMatchObject({
      status: 'completed',
      progress: { created: 2 },
    });
    const contacts = await contactsOf(org);
    expect(contacts.map((c) => [c.external_id, c.email, c.erased_at === null])).toEqual(
      expect.arrayContaining([
        ['K-300', null, true],
        ['K-400', 'nieuw@example.nl', true],
        ['K-500', 'joost@example.nl', true],
      ]),
    );
    expect(contacts).toHaveLength(4);
    // Pieter stays an erased shell; nobody new carries his number or address.
    expect(contacts.find((c) => c.id === pieter.id)).toMatchObject({
      external_id: null,
      email: null,
      phone: null,
    });
    expect(
      contacts.filter((c) => c.external_id === 'K-100' || c.email === 'pieter@example.nl'),
    ).toEqual([]);
  });

  it('keeps no trace of an erased customer named in a visits file either', async () => {
    const owner = await buildOrganisation(t, 'Garage Erased');
    const org = owner.organisationId;
    const pieter = await buildContact(t.db.kysely, org, {
      name: 'Pieter Bos',
      external_id: 'K-100',
      email: 'pieter@example.nl',
    });
    await erase(owner, pieter.id);
    const up = await owner.request({
      method: 'POST',
      url: '/api/v1/imports?kind=visits',
      ...fileUpload(
        'werkplaats.csv',
        ['Klantnummer;E-mail;Datum;Bedrag', 'K-100;pieter@example.nl;28-10-2026;12,50'].join(
          '\r\n',
        ),
      ),
    });
    expect(up.statusCode, up.body).toBe(201);
    const imp = up.json<{ id: string; detected: { suggestedMapping: Record<string, string> } }>();
    const validate = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/validate`,
      payload: { mapping: imp.detected.suggestedMapping },
    });
    expect(validate.statusCode, validate.body).toBe(200);
    await drain();
    const errors = (
      await owner.request({ url: `/api/v1/imports/${imp.id}/errors` })
    ).json<ErrorsJson>().items;
    expect(errors.map((e) => ({ line: e.line, code: e.code, value: e.value }))).toEqual([
      { line: 2, code: 'customer_erased', value: null },
    ]);
    const stored = await t.db.kysely
      .selectFrom('import_rejected_rows')
      .select(['cells', 'email'])
      .where('import_id', '=', imp.id)
      .execute();
    expect(stored).toEqual([{ cells: '[]', email: null }]);
  });

  it('rejects at commit a customer erased after the file was checked', async () => {
    const owner = await buildOrganisation(t, 'Installatiebedrijf De Wit');
    const org = owner.organisationId;
    const els = await buildContact(t.db.kysely, org, {
      name: 'Els de Wit',
      external_id: 'K-600',
      email: 'els@example.nl',
    });
    // Checked while Els is a customer: her row updates her.
    const id = await validated(
      owner,
      ['Klantnummer;Naam;E-mailadres;Telefoon', 'K-600;Els de Wit;els@example.nl;'].join('\r\n'),
    );
    expect(
      (await owner.request({ url: `/api/v1/imports/${id}/errors` })).json<ErrorsJson>().items,
    ).toEqual([]);
    // Erased before the owner commits: at commit the row would create her again.
    await erase(owner, els.id);
    expect(await commitValidRows(owner, id)).toMatchObject({
      status: 'completed',
      progress: { created: 0, rejected: 1 },
    });
    const contacts = await contactsOf(org);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ id: els.id, external_id: null, email: null });
    expect(contacts[0]?.erased_at).not.toBeNull();
  });
});
