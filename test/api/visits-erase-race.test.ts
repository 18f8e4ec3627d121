import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseContact } from '../../src/modules/privacy/privacy.service.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { buildContact, ownerActor } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { heldOpen, untilWaitingOnLock } from '../support/lock-waits.ts';
import { fileUpload } from '../support/uploads.ts';

const PG_URL = process.env.TEST_DATABASE_URL;
if (!PG_URL) console.warn('\n⚠ visits erase-race test SKIPPED: it needs TEST_DATABASE_URL\n');

/**
 * A visit recorded while its customer is being erased (AVG art. 17): the erasure clears the
 * numbers and locations of the customer's visits; a visit written after it would keep its own, and
 * the customer's history would grow again. PostgreSQL only: there the two run side by side (SQLite
 * writes one transaction at a time, and the visit then finds the customer erased at once).
 */
describe.skipIf(!PG_URL)('a visit recorded during its customer’s erasure [postgres]', () => {
  let t: TestApp;
  let owner: Client;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-visits-erase-'));
    t = await startTestApp('postgres', { DATA_DIR: dataDir });
    owner = await buildOrganisation(t, 'Garage De Vries');
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** An erasure of the contact, run in full and held open until its `commit()`. */
  const erasureHeldOpen = (contactId: string) =>
    heldOpen(t.db.kysely, (trx) =>
      eraseContact(trx, t.deps, ownerActor(owner.organisationId), contactId),
    );
  /** Until a session waits for the organisation's visit lock (the erasure holds it). */
  const waitForTheVisitLock = (what: string) =>
    untilWaitingOnLock(t.db.kysely, '%pg_advisory_xact_lock%', what);

  it('is refused as a visit of an erased customer once the erasure commits', async () => {
    const organisationId = owner.organisationId;
    const contact = await buildContact(t.db.kysely, organisationId, {
      name: 'Pieter Bos',
      external_id: 'K-300',
      email: 'pieter@example.nl',
    });
    // The erasure runs in full and holds its transaction open ...
    const erasure = await erasureHeldOpen(contact.id);
    try {
      // ... while the customer's visit arrives.
      const visit = owner.request({
        method: 'POST',
        url: '/api/v1/visits',
        payload: {
          externalId: 'W-900',
          customer: { externalId: 'K-300' },
          visitedAt: '2026-10-01',
          amount: 75,
          location: 'Vestiging Zuid',
        },
      });
      await waitForTheVisitLock('the visit');
      erasure.commit();
      await erasure.done;
      const res = await visit;
      expect(res.statusCode, res.body).toBe(400);
      expect(
        res.json<{ error: { fields: { problem: string }[] } }>().error.fields[0]?.problem,
      ).toBe('customer_erased');
    } finally {
      erasure.commit();
    }
    const visits = await t.db.kysely
      .selectFrom('visits')
      .select(['external_id', 'location'])
      .where('contact_id', '=', contact.id)
      .execute();
    expect(visits).toEqual([]);
  });

  it('rejects the row of a customer erased while an import commits, and imports the rest', async () => {
    const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();
    const org = owner.organisationId;
    const anna = await buildContact(t.db.kysely, org, { name: 'Anna', external_id: 'K-410' });
    const bram = await buildContact(t.db.kysely, org, { name: 'Bram', external_id: 'K-420' });
    const file = [
      'Klantnummer;Datum;Bedrag;Werkorder',
      'K-410;01-10-2026;10,00;W-410',
      'K-420;01-10-2026;20,00;W-420',
    ].join('\n');
    const up = await owner.request({
      method: 'POST',
      url: '/api/v1/imports?kind=visits',
      ...fileUpload('werkplaats.csv', file),
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
    const erasure = await erasureHeldOpen(bram.id);
    try {
      const commit = await owner.request({
        method: 'POST',
        url: `/api/v1/imports/${imp.id}/commit`,
        payload: { mode: 'valid_only' },
      });
      expect(commit.statusCode, commit.body).toBe(200);
      const running = drain();
      await waitForTheVisitLock('the import');
      erasure.commit();
      await erasure.done;
      await running;
    } finally {
      erasure.commit();
    }
    const done = (await owner.request({ url: `/api/v1/imports/${imp.id}` })).json<{
      status: string;
      progress: { created: number; rejected: number };
    }>();
    expect(done).toMatchObject({ status: 'completed', progress: { created: 1, rejected: 1 } });
    const stored = await t.db.kysely
      .selectFrom('visits')
      .select(['contact_id', 'external_id'])
      .where('organisation_id', '=', org)
      .where('contact_id', 'in', [anna.id, bram.id])
      .execute();
    expect(stored).toEqual([{ contact_id: anna.id, external_id: 'W-410' }]);
  });
});
