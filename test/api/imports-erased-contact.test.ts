import { afterAll, beforeAll, expect, it } from 'vitest';
import { updateContacts } from '../../src/modules/imports/imports.repository.ts';
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
