import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseContact } from '../../src/modules/privacy/privacy.service.ts';
import { buildContact, ownerActor } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

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

  beforeAll(async () => {
    t = await startTestApp('postgres');
    owner = await buildOrganisation(t, 'Garage De Vries');
  });
  afterAll(async () => t.close());

  it('is refused as a visit of an erased customer once the erasure commits', async () => {
    const organisationId = owner.organisationId;
    const contact = await buildContact(t.db.kysely, organisationId, {
      name: 'Pieter Bos',
      external_id: 'K-300',
      email: 'pieter@example.nl',
    });
    // The erasure runs in full and holds its transaction open ...
    let commit = () => {};
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let holding = () => {};
    const held = new Promise<void>((resolve) => (holding = resolve));
    const erasure = t.db.kysely.transaction().execute(async (trx) => {
      await eraseContact(trx, t.deps, ownerActor(organisationId), contact.id);
      holding();
      await committed;
    });
    try {
      await held;
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
      const deadline = Date.now() + 20_000;
      for (;;) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n
          from pg_stat_activity where datname = current_database()
            and wait_event_type = 'Lock' and query like '%pg_advisory_xact_lock%'`.execute(
          t.db.kysely,
        );
        if ((rows[0]?.n ?? 0) > 0) break;
        if (Date.now() > deadline) throw new Error('the visit never waited for the erasure');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      commit();
      await erasure;
      const res = await visit;
      expect(res.statusCode, res.body).toBe(400);
      expect(
        res.json<{ error: { fields: { problem: string }[] } }>().error.fields[0]?.problem,
      ).toBe('customer_erased');
    } finally {
      commit();
    }
    const visits = await t.db.kysely
      .selectFrom('visits')
      .select(['external_id', 'location'])
      .where('contact_id', '=', contact.id)
      .execute();
    expect(visits).toEqual([]);
  });
});
