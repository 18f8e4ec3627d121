import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

type ErrorJson = { error: { code: string; fields?: { field: string; message: string }[] } };

/**
 * A customer number (a KvK number) one account already has, or an email address one employee
 * already has, is refused on its own field, by its label, so the form can mark it: a second
 * account with the number would collide in the database (answered as a field "_"), and two
 * employees with one address would leave an import unable to place their customers.
 */
describeEachDialect('numbers and addresses already taken', (dialect) => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Groothandel Uniek');
  });
  afterAll(async () => t.close());

  const post = (url: string, payload: object) => owner.request({ method: 'POST', url, payload });

  it('an account’s customer number, new or changed', async () => {
    const first = await post('/api/v1/accounts', {
      name: 'Bakkerij Jansen B.V.',
      externalId: '12345678',
    });
    expect(first.statusCode, first.body).toBe(201);
    const second = await post('/api/v1/accounts', {
      name: 'Slagerij Pietersen',
      externalId: '12345678',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json<ErrorJson>().error.fields).toEqual([
      expect.objectContaining({ field: 'externalId', message: 'Klantnummer is al in gebruik' }),
    ]);
    const mine = await post('/api/v1/accounts', { name: 'Garage Bos' });
    expect(mine.statusCode, mine.body).toBe(201);
    const id = mine.json<{ id: string }>().id;
    const taken = await owner.request({
      method: 'PATCH',
      url: `/api/v1/accounts/${id}`,
      payload: { externalId: '12345678' },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<ErrorJson>().error.fields?.map((f) => f.field)).toEqual(['externalId']);
    // Its own number again is no clash.
    const own = await owner.request({
      method: 'PATCH',
      url: `/api/v1/accounts/${first.json<{ id: string }>().id}`,
      payload: { externalId: '12345678', name: 'Bakkerij Jansen' },
    });
    expect(own.statusCode, own.body).toBe(200);
  });

  it('an employee’s email address, in any case', async () => {
    const sanne = await post('/api/v1/employees', {
      name: 'Sanne Bakker',
      email: 'sanne@firma.nl',
    });
    expect(sanne.statusCode, sanne.body).toBe(201);
    const again = await post('/api/v1/employees', { name: 'S. Bakker', email: 'Sanne@Firma.nl' });
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorJson>().error.fields).toEqual([
      expect.objectContaining({ field: 'email', message: 'E-mailadres is al in gebruik' }),
    ]);
    const piet = await post('/api/v1/employees', { name: 'Piet de Vries' });
    const change = await owner.request({
      method: 'PATCH',
      url: `/api/v1/employees/${piet.json<{ id: string }>().id}`,
      payload: { email: 'sanne@firma.nl' },
    });
    expect(change.statusCode).toBe(409);
    const own = await owner.request({
      method: 'PATCH',
      url: `/api/v1/employees/${sanne.json<{ id: string }>().id}`,
      payload: { email: 'sanne@firma.nl', team: 'Noord' },
    });
    expect(own.statusCode, own.body).toBe(200);
    // Two who shared an address before the check was made both stay editable.
    const pietId = piet.json<{ id: string }>().id;
    await t.db.kysely
      .updateTable('employees')
      .set({ email: 'sanne@firma.nl' })
      .where('id', '=', pietId)
      .execute();
    for (const id of [sanne.json<{ id: string }>().id, pietId]) {
      const edited = await owner.request({
        method: 'PATCH',
        url: `/api/v1/employees/${id}`,
        payload: { team: 'Zuid' },
      });
      expect(edited.statusCode, edited.body).toBe(200);
    }
  });
});
