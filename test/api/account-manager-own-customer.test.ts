import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildAccount, buildContact, buildEmployee } from '../support/factories.ts';
import { buildMember, buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

/**
 * An account manager's own customer whose company (account) is a colleague's, or nobody's (every
 * account an import creates): the card names the company, and a change to the customer saves —
 * the contact screen sends the unchanged company back with every change. Linking the customer to
 * a colleague's account anew stays refused, and the colleague's other contacts stay out of reach.
 */
describeEachDialect('an account manager edits their own customer', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  it.each([
    ['an account nobody manages', 'none'],
    ["a colleague's account", 'colleague'],
  ] as const)('of %s', async (_label, accountOwner) => {
    const owner = await buildOrganisation(t);
    const org = owner.organisationId;
    const sanne = await buildEmployee(t.db.kysely, org, { name: 'Sanne Bakker' });
    const piet = await buildEmployee(t.db.kysely, org, { name: 'Piet de Vries' });
    const account = await buildAccount(t.db.kysely, org, {
      name: 'Bakkerij Jansen B.V.',
      owner_employee_id: accountOwner === 'none' ? null : piet.id,
    });
    const other = await buildAccount(t.db.kysely, org, {
      name: 'Slagerij Pietersen',
      owner_employee_id: piet.id,
    });
    const contact = await buildContact(t.db.kysely, org, {
      owner_employee_id: sanne.id,
      account_id: account.id,
    });
    const colleagues = await buildContact(t.db.kysely, org, {
      owner_employee_id: piet.id,
      account_id: account.id,
    });
    const am = await buildMember(t, org, 'account_manager', sanne.id);

    const company = await am.request({ url: `/api/v1/accounts/${account.id}` });
    expect(company.statusCode, company.body).toBe(200);
    expect(company.json<{ name: string }>().name).toBe('Bakkerij Jansen B.V.');
    // Only the company of a customer of hers: the colleague's other account stays unknown to her.
    expect((await am.request({ url: `/api/v1/accounts/${other.id}` })).statusCode).toBe(404);
    expect((await am.request({ url: `/api/v1/contacts/${colleagues.id}` })).statusCode).toBe(404);

    const form = {
      name: contact.name,
      email: contact.email,
      phone: '06-12345678',
      language: 'nl',
      externalId: null,
      segment: null,
      ownerEmployeeId: sanne.id,
      accountId: account.id,
      locationId: null,
      attributes: {},
    };
    const saved = await am.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${contact.id}`,
      payload: form,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<{ phone: string; accountId: string }>()).toMatchObject({
      phone: '06-12345678',
      accountId: account.id,
    });
    if (accountOwner === 'colleague') {
      const moved = await am.request({
        method: 'PATCH',
        url: `/api/v1/contacts/${contact.id}`,
        payload: { ...form, accountId: other.id },
      });
      expect(moved.statusCode).toBe(400);
      expect(moved.json<{ error: { fields: { field: string }[] } }>().error.fields).toEqual([
        expect.objectContaining({ field: 'accountId' }),
      ]);
    }
  });
});
