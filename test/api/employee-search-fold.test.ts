import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { newId } from '../../src/shared/ids.ts';
import { seedOrganisation } from '../support/bulk.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';
import { FACTORY_NOW } from '../support/factories.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { importCustomerFile } from '../support/uploads.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const NAMES = ['Łukasz Wójcik', 'Jürgen Strauß', 'Søren Ærø', 'Mary O’Brien'];

/**
 * An employee's name is found as every other name is: case, accents and the letters that do not
 * decompose (ł, ß, æ, ø) folded, a curly apostrophe read as a straight one — in the employees list
 * and when an import names an account manager.
 */
describeEachDialect('employees found by a folded name', (dialect) => {
  let t: TestApp;
  let owner: Client;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Installatiebedrijf Noord');
    for (const name of NAMES) {
      const res = await owner.request({
        method: 'POST',
        url: '/api/v1/employees',
        payload: { name },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => t.close());

  it('finds them in the list by the name as written and as typed without its letters', async () => {
    const found = async (q: string) =>
      (await owner.request({ url: `/api/v1/employees?q=${encodeURIComponent(q)}` }))
        .json<{ items: { name: string }[] }>()
        .items.map((e) => e.name);
    expect({
      written: await found('Łukasz'),
      plain: await found('lukasz wojcik'),
      eszett: await found('strauss'),
      ligature: await found('aero'),
      apostrophe: await found("O'Brien"),
    }).toEqual({
      written: ['Łukasz Wójcik'],
      plain: ['Łukasz Wójcik'],
      eszett: ['Jürgen Strauß'],
      ligature: ['Søren Ærø'],
      apostrophe: ['Mary O’Brien'],
    });
  });

  it('links an imported customer to the account manager the file names without those letters', async () => {
    await importCustomerFile(
      owner,
      ['Naam;E-mailadres;Accountmanager', 'Bakkerij Jansen;info@bakkerij-jansen.nl;Lukasz Wojcik'],
      () => startWorker(t.deps, { concurrency: 1 }, false).drain(),
    );
    const linked = await t.db.kysely
      .selectFrom('contacts')
      .innerJoin('employees', 'employees.id', 'contacts.owner_employee_id')
      .select('employees.name')
      .where('contacts.organisation_id', '=', owner.organisationId)
      .where('contacts.email', '=', 'info@bakkerij-jansen.nl')
      .executeTakeFirst();
    expect(linked?.name).toBe('Łukasz Wójcik');
  });
});

describeEachDialect('the upgrade that folds the employees’ search keys again', (dialect) => {
  let db: Db;
  let organisationId: string;

  beforeAll(async () => {
    db = await freshDatabase(dialect, { migrateBefore: '0071-employee-search-fold' });
    organisationId = await seedOrganisation(db.kysely, 'Garage Oud', FACTORY_NOW);
    // As the weaker rule stored them: marks removed and lower case, the rest left as it was.
    for (const [name, old] of [
      ['Łukasz Wójcik', 'łukasz wojcik'],
      ['Jan de Vries', 'jan de vries'],
    ]) {
      await sql`insert into employees (id, organisation_id, name, search_text, created_at, updated_at)
        values (${newId()}, ${organisationId}, ${name}, ${old}, ${FACTORY_NOW}, ${FACTORY_NOW})`.execute(
        db.kysely,
      );
    }
    await migrateToLatest(db);
  }, 120_000);
  afterAll(async () => db.close());

  it('gives every employee of before the key the search folds to', async () => {
    const rows = await db.kysely
      .selectFrom('employees')
      .select(['name', 'search_text'])
      .where('organisation_id', '=', organisationId)
      .orderBy('name')
      .execute();
    expect(rows).toEqual([
      { name: 'Jan de Vries', search_text: 'jan de vries' },
      { name: 'Łukasz Wójcik', search_text: 'lukasz wojcik' },
    ]);
  });
});
