import { afterAll, beforeAll, expect, it } from 'vitest';
import { setUpProgramme } from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

/**
 * One ambassador's page carries their row of the register — the consent record (the AVG proof of
 * their agreement), code, owner, counts — however far down the register they are: the screen
 * used to look for it among the newest 500 and showed nothing for the rest.
 */
describeEachDialect('an ambassador’s own register row', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('comes with the ambassador, not from the list', async () => {
    const owner = await buildOrganisation(t, 'Garage Register');
    await setUpProgramme(owner);
    const enrol = async (name: string, note: string) => {
      const contact = await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { name, email: `${name.toLowerCase()}@voorbeeld.nl` },
      });
      expect(contact.statusCode, contact.body).toBe(201);
      const added = await owner.request({
        method: 'POST',
        url: '/api/v1/ambassadors',
        payload: { contactId: contact.json<{ id: string }>().id, consentNote: note },
      });
      expect(added.statusCode, added.body).toBe(201);
      return added.json<{ id: string }>().id;
    };
    const oldest = await enrol('Eerste', 'Aan de balie gevraagd, maart');
    t.clock.now += 1000;
    await enrol('Tweede', 'Aan de telefoon gevraagd');
    // The register's first page no longer holds the oldest …
    const page = await owner.request({ url: '/api/v1/ambassadors?limit=1' });
    expect(page.json<{ items: { id: string }[] }>().items.map((r) => r.id)).not.toContain(oldest);
    // … and their page still says how they agreed.
    const detail = await owner.request({ url: `/api/v1/ambassadors/${oldest}` });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json<{ register: unknown }>().register).toMatchObject({
      id: oldest,
      name: 'Eerste',
      consent: { source: 'staff', note: 'Aan de balie gevraagd, maart' },
    });
  });
});
