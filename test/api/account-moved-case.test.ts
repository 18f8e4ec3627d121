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
 * A case that went to the account manager of the customer's company (the customer has no account
 * manager of their own) follows the company's manager: when the customer moves to another company
 * — on their card or by an import — and when the company gets another manager. The new manager
 * works it and sees it, the old one no longer does; a company without a manager leaves it
 * unassigned. A case assigned by hand, or to the customer's own manager, stays where it is.
 */
describeEachDialect('a case that went to the manager of the customer’s company', (dialect) => {
  let t: TestApp;
  let dataDir: string;
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-account-moved-'));
    t = await startTestApp(dialect, { DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const importFile = (org: Client, lines: string[]) => importCustomerFile(org, lines, drain);

  /**
   * A wholesaler with Sanne and Piet; Bakkerij Jansen (Sanne's company) and Slagerij Smit
   * (Piet's); Ingrid of Bakkerij Jansen, without an account manager of her own, with an open case
   * that went to Sanne as the company's manager.
   */
  async function setUp(name: string) {
    t.clock.now = Date.parse('2026-11-24T10:00+01:00');
    const owner = await buildOrganisation(t, name);
    const org = owner.organisationId;
    const create = async (url: string, payload: Record<string, unknown>) => {
      const res = await owner.request({ method: 'POST', url, payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const sanne = await create('/api/v1/employees', {
      name: 'Sanne Bakker',
      email: 'sanne@firma.nl',
    });
    const piet = await create('/api/v1/employees', {
      name: 'Piet de Vries',
      email: 'piet@firma.nl',
    });
    const sanneAm = await buildMember(t, org, 'account_manager', sanne);
    const pietAm = await buildMember(t, org, 'account_manager', piet);
    const jansen = await create('/api/v1/accounts', {
      name: 'Bakkerij Jansen B.V.',
      ownerEmployeeId: sanne,
    });
    const smit = await create('/api/v1/accounts', {
      name: 'Slagerij Smit',
      ownerEmployeeId: piet,
    });
    const survey = await buildSurvey(t.db.kysely, org);

    /** A customer of `accountId` with a detractor's open case. */
    const customerWithCase = async (
      externalId: string,
      email: string,
      contact: { accountId: string; ownerEmployeeId?: string },
    ) => {
      const contactId = await create('/api/v1/contacts', {
        externalId,
        name: 'Ingrid Jansen',
        email,
        ...contact,
      });
      const inv = await buildInvitation(
        t.db.kysely,
        { organisationId: org, surveyId: survey.id, contactId },
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
        .select(['id', 'owner_employee_id', 'owner_rule'])
        .where('organisation_id', '=', org)
        .where('contact_id', '=', contactId)
        .executeTakeFirstOrThrow();
      return { contactId, caseId: opened.id, opened };
    };

    const ingrid = await customerWithCase('K-100', 'ingrid@bakkerijjansen.nl', {
      accountId: jansen,
    });
    expect(ingrid.opened).toMatchObject({ owner_employee_id: sanne, owner_rule: 'account' });
    const caseOf = async (caseId = ingrid.caseId) =>
      t.db.kysely
        .selectFrom('cases')
        .select(['owner_employee_id', 'owner_rule', 'team'])
        .where('id', '=', caseId)
        .executeTakeFirstOrThrow();
    const sees = async (am: Client) => ({
      caseOpens: (await am.request({ url: `/api/v1/cases/${ingrid.caseId}` })).statusCode,
      inList: (await am.request({ url: '/api/v1/cases' }))
        .json<{ items: { id: string }[] }>()
        .items.some((c) => c.id === ingrid.caseId),
    });
    const assignedLog = async () => {
      const detail = await owner.request({ url: `/api/v1/cases/${ingrid.caseId}` });
      const log = detail.json<{ log: { type: string; detail: Record<string, unknown> }[] }>().log;
      return log.filter((e) => e.type === 'assigned').map((e) => e.detail);
    };
    const patch = async (url: string, payload: Record<string, unknown>) => {
      const res = await owner.request({ method: 'PATCH', url, payload });
      expect(res.statusCode, res.body).toBe(200);
    };
    return {
      owner,
      sanne,
      piet,
      sanneAm,
      pietAm,
      jansen,
      smit,
      contactId: ingrid.contactId,
      caseId: ingrid.caseId,
      customerWithCase,
      caseOf,
      sees,
      assignedLog,
      patch,
    };
  }

  it('the customer moved to another company on their card: the case goes to its manager', async () => {
    const s = await setUp('Groothandel Kaart');
    await s.patch(`/api/v1/contacts/${s.contactId}`, { accountId: s.smit });
    expect(await s.caseOf()).toMatchObject({ owner_employee_id: s.piet, owner_rule: 'account' });
    expect(await s.sees(s.pietAm)).toEqual({ caseOpens: 200, inList: true });
    expect(await s.sees(s.sanneAm)).toEqual({ caseOpens: 404, inList: false });
    expect(await s.assignedLog()).toEqual([
      { ownerEmployeeId: s.piet, reason: 'customer_moved_account' },
    ]);
  });

  it('the customer moved to another company by an import: the case goes along', async () => {
    const s = await setUp('Groothandel Import');
    await importFile(s.owner, [
      'Klantnummer;Voornaam;Achternaam;E-mailadres;Bedrijfsnaam',
      'K-100;Ingrid;Jansen;ingrid@bakkerijjansen.nl;Slagerij Smit',
    ]);
    expect(await s.caseOf()).toMatchObject({ owner_employee_id: s.piet, owner_rule: 'account' });
    expect(await s.sees(s.pietAm)).toEqual({ caseOpens: 200, inList: true });
    expect(await s.sees(s.sanneAm)).toEqual({ caseOpens: 404, inList: false });
    expect(await s.assignedLog()).toEqual([
      { ownerEmployeeId: s.piet, reason: 'customer_moved_account' },
    ]);
  });

  it('moved to a company without a manager: the case is unassigned, for the managers', async () => {
    const s = await setUp('Groothandel Nieuw Bedrijf');
    // A company named for the first time, by a row without an account manager: nobody manages it.
    await importFile(s.owner, [
      'Klantnummer;Voornaam;Achternaam;E-mailadres;Bedrijfsnaam',
      'K-100;Ingrid;Jansen;ingrid@bakkerijjansen.nl;Bakkerij Jansen Holding',
    ]);
    expect(await s.caseOf()).toEqual({ owner_employee_id: null, owner_rule: 'none', team: null });
    expect(await s.sees(s.sanneAm)).toEqual({ caseOpens: 404, inList: false });
    const inbox = await s.owner.request({ url: '/api/v1/cases' });
    expect(inbox.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toContain(s.caseId);
    expect(await s.assignedLog()).toEqual([
      { ownerEmployeeId: null, reason: 'customer_moved_account' },
    ]);
  });

  it('the company gets another account manager: its customers’ cases go to them', async () => {
    const s = await setUp('Groothandel Overdracht');
    await s.patch(`/api/v1/accounts/${s.jansen}`, { ownerEmployeeId: s.piet });
    expect(await s.caseOf()).toMatchObject({ owner_employee_id: s.piet, owner_rule: 'account' });
    expect(await s.sees(s.pietAm)).toEqual({ caseOpens: 200, inList: true });
    expect(await s.sees(s.sanneAm)).toEqual({ caseOpens: 404, inList: false });
    expect(await s.assignedLog()).toEqual([
      { ownerEmployeeId: s.piet, reason: 'account_manager_changed' },
    ]);
    // Another change of the company's name only hands nothing over again.
    await s.patch(`/api/v1/accounts/${s.jansen}`, { name: 'Bakkerij Jansen' });
    expect(await s.assignedLog()).toHaveLength(1);
  });

  it('the company loses its account manager: the case is unassigned', async () => {
    const s = await setUp('Groothandel Zonder Beheerder');
    await s.patch(`/api/v1/accounts/${s.jansen}`, { ownerEmployeeId: null });
    expect(await s.caseOf()).toEqual({ owner_employee_id: null, owner_rule: 'none', team: null });
    expect(await s.sees(s.sanneAm)).toEqual({ caseOpens: 404, inList: false });
    expect(await s.assignedLog()).toEqual([
      { ownerEmployeeId: null, reason: 'account_manager_changed' },
    ]);
  });

  it('the customer gets an account manager of their own: the case goes to them', async () => {
    const s = await setUp('Groothandel Eigen Beheerder');
    // As a new case would: the customer's own manager comes before the company's.
    await s.patch(`/api/v1/contacts/${s.contactId}`, { ownerEmployeeId: s.piet });
    expect(await s.caseOf()).toMatchObject({
      owner_employee_id: s.piet,
      owner_rule: 'account-manager',
    });
    expect(await s.sees(s.pietAm)).toEqual({ caseOpens: 200, inList: true });
    expect(await s.sees(s.sanneAm)).toEqual({ caseOpens: 404, inList: false });
    expect(await s.assignedLog()).toEqual([
      { ownerEmployeeId: s.piet, reason: 'customer_own_manager' },
    ]);
    // Now the customer's own, the case no longer follows the company's manager.
    await s.patch(`/api/v1/accounts/${s.jansen}`, { ownerEmployeeId: null });
    expect(await s.caseOf()).toMatchObject({
      owner_employee_id: s.piet,
      owner_rule: 'account-manager',
    });
    expect(await s.assignedLog()).toHaveLength(1);
  });

  it('the customer gets their own manager by an import: the case goes along', async () => {
    const s = await setUp('Groothandel Eigen Import');
    await importFile(s.owner, [
      'Klantnummer;Voornaam;Achternaam;E-mailadres;Bedrijfsnaam;Accountmanager',
      'K-100;Ingrid;Jansen;ingrid@bakkerijjansen.nl;Bakkerij Jansen B.V.;piet@firma.nl',
    ]);
    expect(await s.caseOf()).toMatchObject({
      owner_employee_id: s.piet,
      owner_rule: 'account-manager',
    });
    expect(await s.assignedLog()).toEqual([
      { ownerEmployeeId: s.piet, reason: 'customer_own_manager' },
    ]);
  });

  it('the customer loses their own manager: the case goes to the company’s manager', async () => {
    const s = await setUp('Groothandel Terug Naar Bedrijf');
    const kees = await s.customerWithCase('K-200', 'kees@bakkerijjansen.nl', {
      accountId: s.jansen,
      ownerEmployeeId: s.piet,
    });
    expect(kees.opened).toMatchObject({ owner_employee_id: s.piet, owner_rule: 'account-manager' });
    await s.patch(`/api/v1/contacts/${kees.contactId}`, { ownerEmployeeId: null });
    // As a new case would: without a manager of their own, the company's manager.
    expect(await s.caseOf(kees.caseId)).toMatchObject({
      owner_employee_id: s.sanne,
      owner_rule: 'account',
    });
    const detail = await s.owner.request({ url: `/api/v1/cases/${kees.caseId}` });
    const log = detail.json<{ log: { type: string; detail: Record<string, unknown> }[] }>().log;
    expect(log.filter((e) => e.type === 'assigned').map((e) => e.detail)).toEqual([
      { ownerEmployeeId: s.sanne, reason: 'customer_company_manager' },
    ]);
    // And it follows the company's manager from then on.
    await s.patch(`/api/v1/accounts/${s.jansen}`, { ownerEmployeeId: s.piet });
    expect(await s.caseOf(kees.caseId)).toMatchObject({
      owner_employee_id: s.piet,
      owner_rule: 'account',
    });
  });

  it('a case assigned by hand or to the customer’s own manager stays', async () => {
    const s = await setUp('Groothandel Blijft');
    const assigned = await s.owner.request({
      method: 'PUT',
      url: `/api/v1/cases/${s.caseId}/owner`,
      payload: { ownerEmployeeId: s.sanne },
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    // A colleague at the same company whom Sanne manages herself.
    const own = await s.customerWithCase('K-200', 'kees@bakkerijjansen.nl', {
      accountId: s.jansen,
      ownerEmployeeId: s.sanne,
    });
    expect(own.opened).toMatchObject({ owner_employee_id: s.sanne, owner_rule: 'account-manager' });

    await s.patch(`/api/v1/accounts/${s.jansen}`, { ownerEmployeeId: s.piet });
    expect(await s.caseOf()).toMatchObject({ owner_employee_id: s.sanne, owner_rule: 'manual' });
    expect(await s.caseOf(own.caseId)).toMatchObject({
      owner_employee_id: s.sanne,
      owner_rule: 'account-manager',
    });
    await s.patch(`/api/v1/contacts/${own.contactId}`, { accountId: s.smit });
    expect(await s.caseOf(own.caseId)).toMatchObject({
      owner_employee_id: s.sanne,
      owner_rule: 'account-manager',
    });
  });
});
