import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildAccount,
  buildContact,
  buildEmployee,
  buildInvitation,
  buildResponse,
  buildSurvey,
} from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

/**
 * The record scope of an account manager (`auth/record-scope.ts`) means the same across contacts,
 * accounts, invitations and analytics: the owner sees all, an account manager the records of their
 * linked employee, and an account manager without a linked employee nothing — also not the
 * records that belong to nobody.
 */
describeEachDialect(
  'record scope across contacts, accounts, invitations and analytics',
  (dialect) => {
    let t: TestApp;
    let owner: Client;
    let sanneAm: Client;
    let looseAm: Client;
    let surveyId: string;
    let sanne: string;
    let piet: string;
    const contacts: Record<'sanne' | 'piet' | 'nobody', string> = {
      sanne: '',
      piet: '',
      nobody: '',
    };
    const accounts: Record<'sanne' | 'piet' | 'nobody', string> = {
      sanne: '',
      piet: '',
      nobody: '',
    };

    beforeAll(async () => {
      t = await startTestApp(dialect);
      owner = await buildOrganisation(t);
      const orgId = owner.organisationId;
      const db = t.db.kysely;
      surveyId = (await buildSurvey(db, orgId)).id;
      sanne = (await buildEmployee(db, orgId, { name: 'Sanne de Boer' })).id;
      piet = (await buildEmployee(db, orgId, { name: 'Piet Bakker' })).id;
      for (const [who, employee, score] of [
        ['sanne', sanne, 9],
        ['piet', piet, 3],
        ['nobody', null, 7],
      ] as const) {
        accounts[who] = (
          await buildAccount(db, orgId, { name: `Bedrijf ${who}`, owner_employee_id: employee })
        ).id;
        const contact = await buildContact(db, orgId, {
          name: `Klant ${who}`,
          owner_employee_id: employee,
        });
        contacts[who] = contact.id;
        const invitation = await buildInvitation(db, {
          organisationId: orgId,
          surveyId,
          contactId: contact.id,
        });
        await buildResponse(
          db,
          { organisationId: orgId, surveyId },
          {
            score,
            invitation_id: invitation.id,
            contact_id: contact.id,
            owner_employee_id: employee,
          },
        );
      }
      sanneAm = await buildMember(t, orgId, 'account_manager', sanne);
      looseAm = await buildMember(t, orgId, 'account_manager');
    });
    afterAll(async () => t.close());

    const names = async (client: Client, url: string) => {
      const res = await client.request({ url });
      expect(res.statusCode, res.body).toBe(200);
      return res
        .json<{ items: { name?: string | null; contact?: { name: string | null } | null }[] }>()
        .items.map((i) => i.name ?? i.contact?.name)
        .sort();
    };

    it('contacts: all, their own, nothing', async () => {
      expect(await names(owner, '/api/v1/contacts')).toEqual([
        'Klant nobody',
        'Klant piet',
        'Klant sanne',
      ]);
      expect(await names(sanneAm, '/api/v1/contacts')).toEqual(['Klant sanne']);
      expect(await names(looseAm, '/api/v1/contacts')).toEqual([]);
      const counted = await looseAm.request({ url: '/api/v1/contacts?total=true' });
      expect(counted.json<{ total: number }>().total).toBe(0);
      // Asking for a colleague's customers narrows the scope to nothing; it does not widen it.
      expect(await names(sanneAm, `/api/v1/contacts?ownerEmployeeId=${piet}`)).toEqual([]);
      expect(await names(owner, `/api/v1/contacts?ownerEmployeeId=${piet}`)).toEqual([
        'Klant piet',
      ]);
      for (const who of ['sanne', 'piet', 'nobody'] as const) {
        const one = await looseAm.request({ url: `/api/v1/contacts/${contacts[who]}` });
        expect(one.statusCode, who).toBe(404);
      }
      expect(
        (await sanneAm.request({ url: `/api/v1/contacts/${contacts.sanne}` })).statusCode,
      ).toBe(200);
      expect(
        (await sanneAm.request({ url: `/api/v1/contacts/${contacts.nobody}` })).statusCode,
      ).toBe(404);
    });

    it('an account manager without an employee adds no customer (it would be nobody’s, so unseen)', async () => {
      // In an organisation of its own, so the lists the other tests compare keep their three customers.
      const other = await buildOrganisation(t, 'Garage Nieuwe Klant');
      const employee = (await buildEmployee(t.db.kysely, other.organisationId)).id;
      const loose = await buildMember(t, other.organisationId, 'account_manager');
      const linked = await buildMember(t, other.organisationId, 'account_manager', employee);
      const res = await loose.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { email: 'los@klant.nl' },
      });
      expect(res.statusCode).toBe(403);
      const mine = await linked.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { email: 'sanne-nieuw@klant.nl' },
      });
      expect(mine.statusCode, mine.body).toBe(201);
      expect(mine.json<{ ownerEmployeeId: string }>().ownerEmployeeId).toBe(employee);
      const count = await t.db.kysely
        .selectFrom('contacts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('organisation_id', '=', other.organisationId)
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(1);
    });

    it('accounts: all, their own, nothing', async () => {
      expect(await names(owner, '/api/v1/accounts')).toEqual([
        'Bedrijf nobody',
        'Bedrijf piet',
        'Bedrijf sanne',
      ]);
      expect(await names(sanneAm, '/api/v1/accounts')).toEqual(['Bedrijf sanne']);
      expect(await names(looseAm, '/api/v1/accounts')).toEqual([]);
      const one = await looseAm.request({ url: `/api/v1/accounts/${accounts.nobody}` });
      expect(one.statusCode).toBe(404);
    });

    it('invitations: all, their own customers’, nothing', async () => {
      const count = async (client: Client) =>
        (await client.request({ url: `/api/v1/surveys/${surveyId}/invitations?total=true` })).json<{
          total: number;
        }>().total;
      expect(await count(owner)).toBe(3);
      expect(await count(sanneAm)).toBe(1);
      expect(await count(looseAm)).toBe(0);
    });

    it('analytics: every figure and list over all, their own customers’ answers, nothing', async () => {
      const summary = async (client: Client) => {
        const res = await client.request({ url: '/api/v1/results/summary' });
        expect(res.statusCode, res.body).toBe(200);
        return res.json<{ total: number; funnel: { invited: number } }>();
      };
      expect(await summary(owner)).toMatchObject({ total: 3, funnel: { invited: 3 } });
      expect(await summary(sanneAm)).toMatchObject({ total: 1, funnel: { invited: 1 } });
      expect(await summary(looseAm)).toMatchObject({ total: 0, funnel: { invited: 0 } });
      expect(await names(sanneAm, '/api/v1/results/responses')).toEqual(['Klant sanne']);
      expect(await names(looseAm, '/api/v1/results/responses')).toEqual([]);
      const csv = await looseAm.request({ url: '/api/v1/results/responses.csv' });
      expect(csv.statusCode).toBe(200);
      // The header line only: no answer of anyone's customer.
      expect(csv.body.trim().split('\r\n')).toHaveLength(1);
      const sanneCsv = await sanneAm.request({ url: '/api/v1/results/responses.csv' });
      expect(sanneCsv.body.trim().split('\r\n')).toHaveLength(2);
    });
  },
);
