import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildInvitation, buildSurvey } from '../support/factories.ts';
import { importCustomerFile } from '../support/uploads.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

const DAY = 86_400_000;

/**
 * A customer moved to another account manager — by a new import or on their card — takes their
 * open case along when it went to the old manager as the customer's manager: the new manager
 * works it, and the old one, who may no longer see the customer, no longer reads it. A case
 * assigned by hand stays where it is.
 */
describeEachDialect('a customer moved to another account manager', (dialect) => {
  let t: TestApp;
  let dataDir: string;
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-moved-'));
    t = await startTestApp(dialect, { DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const importFile = (org: Client, lines: string[]) => importCustomerFile(org, lines, drain);

  /** A wholesaler with Sanne and Piet, and Ingrid, Sanne's customer, with an open case. */
  async function setUp(name: string) {
    t.clock.now = Date.parse('2026-11-24T10:00+01:00');
    const owner = await buildOrganisation(t, name);
    const org = owner.organisationId;
    const employee = async (n: string, email: string) =>
      (
        await owner.request({
          method: 'POST',
          url: '/api/v1/employees',
          payload: { name: n, email },
        })
      ).json<{ id: string }>().id;
    const sanne = await employee('Sanne Bakker', 'sanne@firma.nl');
    const piet = await employee('Piet de Vries', 'piet@firma.nl');
    const sanneAm = await buildMember(t, org, 'account_manager', sanne);
    const pietAm = await buildMember(t, org, 'account_manager', piet);
    const survey = await buildSurvey(t.db.kysely, org);
    await importFile(owner, [
      'Klantnummer;Voornaam;Achternaam;E-mailadres;Bedrijfsnaam;Accountmanager',
      'K-100;Ingrid;Jansen;ingrid@bakkerijjansen.nl;Bakkerij Jansen B.V.;Sanne Bakker',
    ]);
    const contact = await t.db.kysely
      .selectFrom('contacts')
      .select(['id', 'owner_employee_id'])
      .where('organisation_id', '=', org)
      .where('external_id', '=', 'K-100')
      .executeTakeFirstOrThrow();
    expect(contact.owner_employee_id).toBe(sanne);
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: org, surveyId: survey.id, contactId: contact.id },
      { planned_at: t.clock.now - DAY, expires_at: t.clock.now + 30 * DAY },
    );
    const answer = await t.app.inject({
      method: 'POST',
      url: `/r/${inv.token}`,
      payload: { score: 3, comment: 'Levering weer te laat' },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const opened = await t.db.kysely
      .selectFrom('cases')
      .select(['id', 'owner_employee_id'])
      .where('organisation_id', '=', org)
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(opened.owner_employee_id).toBe(sanne);
    const caseOwner = async () =>
      (
        await t.db.kysely
          .selectFrom('cases')
          .select('owner_employee_id')
          .where('id', '=', opened.id)
          .executeTakeFirstOrThrow()
      ).owner_employee_id;
    const sees = async (am: Client) => ({
      caseOpens: (await am.request({ url: `/api/v1/cases/${opened.id}` })).statusCode,
      inList: (await am.request({ url: '/api/v1/cases' }))
        .json<{ items: { id: string }[] }>()
        .items.some((c) => c.id === opened.id),
    });
    return {
      owner,
      sanne,
      piet,
      sanneAm,
      pietAm,
      contactId: contact.id,
      caseId: opened.id,
      caseOwner,
      sees,
    };
  }

  it('by a new import: the open case goes to the new manager', async () => {
    const s = await setUp('Groothandel Import');
    await importFile(s.owner, [
      'Klantnummer;Voornaam;Achternaam;E-mailadres;Bedrijfsnaam;Accountmanager',
      'K-100;Ingrid;Jansen;ingrid@bakkerijjansen.nl;Bakkerij Jansen B.V.;piet@firma.nl',
    ]);
    expect(await s.caseOwner()).toBe(s.piet);
    expect(await s.sees(s.pietAm)).toEqual({ caseOpens: 200, inList: true });
    expect(await s.sees(s.sanneAm)).toEqual({ caseOpens: 404, inList: false });
    const detail = await s.owner.request({ url: `/api/v1/cases/${s.caseId}` });
    const log = detail.json<{ log: { type: string; detail: Record<string, unknown> }[] }>().log;
    expect(log.filter((e) => e.type === 'assigned').map((e) => e.detail)).toEqual([
      { ownerEmployeeId: s.piet, reason: 'customer_moved' },
    ]);
  });

  it('on the customer’s card: the open case goes along', async () => {
    const s = await setUp('Groothandel Kaart');
    const moved = await s.owner.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${s.contactId}`,
      payload: { ownerEmployeeId: s.piet },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await s.caseOwner()).toBe(s.piet);
    expect(await s.sees(s.sanneAm)).toEqual({ caseOpens: 404, inList: false });
  });

  it('to nobody: the open case is unassigned, for the managers to give to someone', async () => {
    const s = await setUp('Groothandel Niemand');
    // Her company has no manager either (one would take the case: see account-moved-case).
    const { account_id: accountId } = await t.db.kysely
      .selectFrom('contacts')
      .select('account_id')
      .where('id', '=', s.contactId)
      .executeTakeFirstOrThrow();
    const unmanaged = await s.owner.request({
      method: 'PATCH',
      url: `/api/v1/accounts/${accountId}`,
      payload: { ownerEmployeeId: null },
    });
    expect(unmanaged.statusCode, unmanaged.body).toBe(200);
    expect(await s.caseOwner()).toBe(s.sanne);
    const moved = await s.owner.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${s.contactId}`,
      payload: { ownerEmployeeId: null },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await s.caseOwner()).toBeNull();
    expect(await s.sees(s.sanneAm)).toEqual({ caseOpens: 404, inList: false });
    const inbox = await s.owner.request({ url: '/api/v1/cases' });
    expect(inbox.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toContain(s.caseId);
  });

  it('a case assigned by hand stays with the one it was given to', async () => {
    const s = await setUp('Groothandel Hand');
    const assigned = await s.owner.request({
      method: 'PUT',
      url: `/api/v1/cases/${s.caseId}/owner`,
      payload: { ownerEmployeeId: s.sanne },
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const moved = await s.owner.request({
      method: 'PATCH',
      url: `/api/v1/contacts/${s.contactId}`,
      payload: { ownerEmployeeId: s.piet },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await s.caseOwner()).toBe(s.sanne);
  });
});
