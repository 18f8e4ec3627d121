import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const PG_URL = process.env.TEST_DATABASE_URL;
if (!PG_URL) console.warn('\n⚠ erase-race test SKIPPED: it needs TEST_DATABASE_URL\n');

/**
 * An edit of a contact that an erasure overtakes: the edit read the contact before the erasure
 * committed and writes after it. It must not write the person back into an erased contact (AVG
 * art. 17). PostgreSQL only: there transactions run side by side; SQLite runs one at a time, so
 * the edit reads the erased contact and refuses at once (the other contact tests cover that).
 */
describe.skipIf(!PG_URL)('an edit overtaken by an erasure [postgres]', () => {
  let t: TestApp;
  let owner: Client;

  beforeAll(async () => {
    t = await startTestApp('postgres');
    owner = await buildOrganisation(t, 'Garage De Vries');
  });
  afterAll(async () => t.close());

  it('writes nothing into a contact erased while the edit waited for it, and says it is gone', async () => {
    const organisationId = (
      await t.db.kysely.selectFrom('organisations').select('id').executeTakeFirstOrThrow()
    ).id;
    const contact = await buildContact(t.db.kysely, organisationId, {
      name: 'Pieter Bos',
      email: 'pieter@example.nl',
      phone: '0612345678',
    });
    // The erasure holds the contact's row (as the erase request's transaction does) ...
    let commit = () => {};
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let holding = () => {};
    const held = new Promise<void>((resolve) => (holding = resolve));
    const erasure = t.db.kysely.transaction().execute(async (trx) => {
      await trx
        .updateTable('contacts')
        .set({ name: null, email: null, email_key: null, phone: null, erased_at: t.clock.now })
        .where('id', '=', contact.id)
        .execute();
      holding();
      await committed;
    });
    try {
      await held;
      // ... while an edit, which read the contact before, waits to write it.
      const edit = owner.request({
        method: 'PATCH',
        url: `/api/v1/contacts/${contact.id}`,
        payload: { name: 'Pieter Bos-de Vries', phone: '0687654321' },
      });
      const deadline = Date.now() + 20_000;
      for (;;) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n
          from pg_stat_activity where datname = current_database()
            and wait_event_type = 'Lock' and query like 'update "contacts" set%'`.execute(
          t.db.kysely,
        );
        if ((rows[0]?.n ?? 0) > 0) break;
        if (Date.now() > deadline) throw new Error('the edit never waited for the erasure');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      commit();
      await erasure;
      const res = await edit;
      expect(res.statusCode, res.body).toBe(404);
    } finally {
      commit();
    }
    const row = await t.db.kysely
      .selectFrom('contacts')
      .select(['name', 'email', 'phone', 'erased_at'])
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: null, email: null, phone: null });
    expect(row.erased_at).not.toBeNull();
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', contact.id)
      .execute();
    expect(audit.map((a) => a.action)).not.toContain('contact.updated');
  });
});
