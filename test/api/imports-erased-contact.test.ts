import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { updateContacts } from '../../src/modules/imports/imports.repository.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

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

const BOUNDARY = 'loyaal-erased-import';
const upload = (filename: string, content: string) => ({
  headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  payload: Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
        'Content-Type: text/csv\r\n\r\n',
    ),
    Buffer.from(content),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]),
});

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

  it('rejects a row with an erased customer number, email address or phone number, and imports the rest', async () => {
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
    const erased = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${pieter.id}/erase`,
    });
    expect(erased.statusCode, erased.body).toBe(204);
    await drain();

    const file = [
      'Klantnummer;Naam;E-mailadres;Telefoon',
      'K-100;Pieter Bos;;',
      ';P. Bos;PIETER@example.nl;',
      'K-300;Pieter;;+31 6 1234 5678',
      'K-400;Nieuwe Klant;nieuw@example.nl;',
      'K-500;Joost Visser;joost@example.nl;',
    ].join('\r\n');
    const up = await owner.request({
      method: 'POST',
      url: '/api/v1/imports',
      ...upload('crm.csv', file),
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

    const errors = await owner.request({ url: `/api/v1/imports/${imp.id}/errors` });
    expect(errors.statusCode, errors.body).toBe(200);
    const items = errors.json<ErrorsJson>().items;
    expect(items.map(({ line, field, code, value }) => ({ line, field, code, value }))).toEqual([
      { line: 2, field: 'externalId', code: 'erased_not_imported', value: null },
      { line: 3, field: 'email', code: 'erased_not_imported', value: null },
      { line: 4, field: 'phone', code: 'erased_not_imported', value: null },
    ]);
    // In the owner's language, from the catalogue.
    expect(items[0]?.message).toMatch(/gewist \(AVG\)/);

    const commit = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/commit`,
      payload: { mode: 'valid_only' },
    });
    expect(commit.statusCode, commit.body).toBe(200);
    await drain();
    const done = await owner.request({ url: `/api/v1/imports/${imp.id}` });
    expect(done.json<{ status: string; progress: { created: number } }>()).toMatchObject({
      status: 'completed',
      progress: { created: 1 },
    });

    const contacts = await t.db.kysely
      .selectFrom('contacts')
      .select(['id', 'external_id', 'email', 'phone', 'erased_at'])
      .where('organisation_id', '=', org)
      .orderBy('external_id')
      .execute();
    // Pieter stays an erased shell; nobody new carries his number, address or phone.
    expect(contacts.map((c) => [c.external_id, c.email, c.erased_at === null])).toEqual(
      expect.arrayContaining([
        ['K-400', 'nieuw@example.nl', true],
        ['K-500', 'joost@example.nl', true],
      ]),
    );
    expect(contacts).toHaveLength(3);
    expect(contacts.find((c) => c.id === pieter.id)).toMatchObject({
      external_id: null,
      email: null,
      phone: null,
    });
    expect(contacts.some((c) => c.external_id === 'K-300' || c.phone !== null)).toBe(false);
  });
});
