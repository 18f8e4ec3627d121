import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

describeEachDialect('contacts API', (dialect) => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t);
  });
  afterAll(async () => t.close());

  it('creates a contact and finds it by an accent-free search', async () => {
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Renée Çelik-Smit', email: 'Renee@Example.nl', language: 'nl' },
    });
    expect(res.statusCode).toBe(201);
    const list = await owner.request({ method: 'GET', url: '/api/v1/contacts?q=celik' });
    expect(list.json<{ items: { name: string }[] }>().items.map((c) => c.name)).toEqual([
      'Renée Çelik-Smit',
    ]);
  });
});
