import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

/**
 * Finding 10 of the probe (issue 7): an account manager learnt that a colleague's customer's email
 * exists (409 `taken`) and could link a contact to a colleague's account. A colleague's customer is
 * now answered as every other action on it is (403, nothing about it), and a colleague's account
 * like one that does not exist.
 */
describeEachDialect("an account manager and a colleague's customers", (dialect) => {
  let t: TestApp;
  let owner: Client;
  let am: Client;
  let myAccount: string;
  let theirAccount: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t);
    const employee = async (name: string) =>
      (await owner.request({ method: 'POST', url: '/api/v1/employees', payload: { name } })).json<{
        id: string;
      }>().id;
    const me = await employee('Sanne Bakker');
    const colleague = await employee('Ahmed Yilmaz');
    const account = async (name: string, ownerEmployeeId: string) =>
      (
        await owner.request({
          method: 'POST',
          url: '/api/v1/accounts',
          payload: { name, ownerEmployeeId },
        })
      ).json<{ id: string }>().id;
    myAccount = await account('Bakkerij Bakker', me);
    theirAccount = await account('Transport Yilmaz', colleague);
    for (const [email, ownerEmployeeId, externalId] of [
      ['mijn@klant.nl', me, 'K-1'],
      ['hun@klant.nl', colleague, 'K-2'],
    ] as const) {
      const res = await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { email, ownerEmployeeId, externalId },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    am = await buildMember(t, owner.organisationId, 'account_manager', me);
  });
  afterAll(async () => t.close());

  const create = (payload: Record<string, unknown>) =>
    am.request({ method: 'POST', url: '/api/v1/contacts', payload });
  const codeOf = (res: { json: <T>() => T }) =>
    res.json<{ error: { code: string; fields?: { problem: string }[] } }>().error;

  it("does not say that a colleague's customer's email or number is taken", async () => {
    const byEmail = await create({ email: 'HUN@klant.nl', name: 'Probeersel' });
    expect(byEmail.statusCode).toBe(403);
    expect(codeOf(byEmail)).toEqual({
      code: 'forbidden',
      message: 'U hebt geen toegang tot deze gegevens.',
    });
    expect(byEmail.body).not.toContain('taken');
    const byNumber = await create({ externalId: 'K-2', email: 'nieuw@klant.nl' });
    expect(byNumber.statusCode).toBe(403);
    expect(byNumber.body).not.toContain('taken');
    // Changing one of their own customers to that address is answered the same way.
    const mine = await create({ email: 'ook-mijn@klant.nl' });
    const id = mine.json<{ id: string }>().id;
    const patch = await am.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${id}`,
      payload: { email: 'hun@klant.nl' },
    });
    expect(patch.statusCode).toBe(403);
  });

  it('still says `taken` for a clash with a customer of their own', async () => {
    const res = await create({ email: 'mijn@klant.nl' });
    expect(res.statusCode).toBe(409);
    expect(codeOf(res).fields?.[0]?.problem).toBe('taken');
  });

  it("cannot link a customer to a colleague's account, which answers like an unknown one", async () => {
    const theirs = await create({ email: 'a@klant.nl', accountId: theirAccount });
    expect(theirs.statusCode).toBe(400);
    expect(codeOf(theirs).fields).toEqual([
      expect.objectContaining({ field: 'accountId', problem: 'invalid_value' }),
    ]);
    const unknown = await create({
      email: 'b@klant.nl',
      accountId: '01900000-0000-7000-8000-000000000000',
    });
    expect(unknown.body).toBe(theirs.body);
    const own = await create({ email: 'c@klant.nl', accountId: myAccount });
    expect(own.statusCode, own.body).toBe(201);
    const id = own.json<{ id: string }>().id;
    const move = await am.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${id}`,
      payload: { accountId: theirAccount },
    });
    expect(move.statusCode).toBe(400);
  });
});
