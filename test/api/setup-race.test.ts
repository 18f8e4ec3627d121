import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/harness.ts';

/**
 * First-visit setup is open only while the installation has no organisation at all: two requests
 * at once (a double click on "Start", or a stranger racing the owner) create one organisation.
 */
describeEachDialect('first-visit setup sent three times at once', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('creates one organisation, and the second request gets a 409, never a 500 or a second organisation', async () => {
    const setup = (email: string, organisationName: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: { organisationName, name: 'Piet de Vries', email, password: 'lange-wachtwoord-1' },
      });
    const answers = await Promise.all([
      setup('piet@garagedevries.nl', 'Garage De Vries'),
      setup('kaper@example.nl', 'Kaper'),
      setup('piet@garagedevries.nl', 'Garage De Vries'),
    ]);
    const organisations = await t.db.kysely.selectFrom('organisations').select('name').execute();
    expect(organisations).toHaveLength(1);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409]);
  });
});
