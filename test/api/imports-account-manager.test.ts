import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { fileUpload } from '../support/uploads.ts';
import { buildMember, buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

/**
 * A company a contacts file names for the first time becomes an account with the account manager
 * of its first row: every row of "Bakkerij Jansen B.V." names Sanne, so the account is hers (it
 * was nobody's, so she could not add a contact to her own customer's company).
 */
describeEachDialect('an imported company’s account manager', (dialect) => {
  let t: TestApp;
  let dataDir: string;
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-account-owner-'));
    t = await startTestApp(dialect, { DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is the one its first row names', async () => {
    const owner = await buildOrganisation(t, 'Groothandel Bedrijven');
    const org = owner.organisationId;
    const employee = await owner.request({
      method: 'POST',
      url: '/api/v1/employees',
      payload: { name: 'Sanne Bakker', email: 'sanne@firma.nl' },
    });
    const sanne = employee.json<{ id: string }>().id;
    const sanneAm = await buildMember(t, org, 'account_manager', sanne);
    const lines = [
      'Klantnummer;Naam;E-mailadres;Bedrijf;Accountmanager',
      'K-1;Ingrid Jansen;ingrid@jansen.nl;Bakkerij Jansen B.V.;Sanne Bakker',
      'K-2;Piet Jansen;piet@jansen.nl;bakkerij  jansen b.v.;Sanne Bakker',
      'K-3;Kees Smit;kees@smit.nl;Installatiebedrijf Smit;',
    ];
    const up = await owner.request({
      method: 'POST',
      url: '/api/v1/imports',
      ...fileUpload('klanten.csv', iconv.encode(lines.join('\r\n'), 'win1252'), 'text/csv'),
    });
    expect(up.statusCode, up.body).toBe(201);
    const imp = up.json<{ id: string; detected: { suggestedMapping: Record<string, string> } }>();
    const v = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/validate`,
      payload: { mapping: imp.detected.suggestedMapping },
    });
    expect(v.statusCode, v.body).toBe(200);
    await drain();
    const c = await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/commit`,
      payload: { mode: 'valid_only' },
    });
    expect(c.statusCode, c.body).toBe(200);
    await drain();
    const accounts = await t.db.kysely
      .selectFrom('accounts')
      .select(['name', 'owner_employee_id'])
      .where('organisation_id', '=', org)
      .orderBy('name')
      .execute();
    expect(accounts).toEqual([
      { name: 'Bakkerij Jansen B.V.', owner_employee_id: sanne },
      { name: 'Installatiebedrijf Smit', owner_employee_id: null },
    ]);
    const mine = await sanneAm.request({ url: '/api/v1/accounts' });
    expect(mine.json<{ items: { name: string }[] }>().items.map((a) => a.name)).toEqual([
      'Bakkerij Jansen B.V.',
    ]);
  });
});
