import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { fileUpload } from '../support/uploads.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

interface ImportJson {
  id: string;
  status: string;
  detected: { suggestedMapping: Record<string, string> };
  progress: {
    total: number;
    valid: number;
    rejected: number;
    created: number;
    withoutEmail: number;
  };
  ownerResolutions: { value: string; action: string; employeeId?: string }[];
}
interface OwnersJson {
  items: { value: string; problem: string; rows: number }[];
  complete: boolean;
  resolutions: unknown[];
}

/** Excel's Dutch CSV export: semicolons, Windows-1252, CRLF. */
const win1252 = (lines: string[]) => iconv.encode(lines.join('\r\n'), 'win1252');

describeEachDialect('an import that keeps every customer', (dialect) => {
  let t: TestApp;
  let dataDir: string;
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-owners-'));
    t = await startTestApp(dialect, { DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function uploadAndCheck(org: Client, filename: string, content: Buffer) {
    const up = await org.request({
      method: 'POST',
      url: '/api/v1/imports',
      ...fileUpload(filename, content, 'application/octet-stream'),
    });
    expect(up.statusCode, up.body).toBe(201);
    const imp = up.json<ImportJson>();
    const res = await org.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/validate`,
      payload: { mapping: imp.detected.suggestedMapping },
    });
    expect(res.statusCode, res.body).toBe(200);
    await drain();
    return get(org, imp.id);
  }
  async function get(org: Client, id: string) {
    const res = await org.request({ url: `/api/v1/imports/${id}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ImportJson>();
  }
  async function owners(org: Client, id: string) {
    const res = await org.request({ url: `/api/v1/imports/${id}/owners` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<OwnersJson>();
  }
  async function employeesOf(org: Client) {
    return t.db.kysely
      .selectFrom('employees')
      .select(['id', 'name', 'email'])
      .where('organisation_id', '=', org.organisationId)
      .orderBy('name')
      .execute();
  }
  async function contactsOf(org: Client) {
    return t.db.kysely
      .selectFrom('contacts')
      .select(['external_id', 'email', 'owner_employee_id'])
      .where('organisation_id', '=', org.organisationId)
      .orderBy('external_id')
      .execute();
  }

  // One import's life, step by step (check, decide, download, commit, import the fixed file): the
  // steps build on each other, so they keep their order when the suite runs shuffled.
  describe(
    'day one: the file names account managers nobody entered yet',
    { shuffle: false },
    () => {
      let org: Client;
      let imp: ImportJson;
      let sanne: string;

      beforeAll(async () => {
        org = await buildOrganisation(t, 'Garage Nieuw');
        const res = await org.request({
          method: 'POST',
          url: '/api/v1/employees',
          payload: { name: 'Sanne Bakker', email: 'sanne@garage.example' },
        });
        sanne = res.json<{ id: string }>().id;
        imp = await uploadAndCheck(
          org,
          'klanten.csv',
          win1252([
            'Klantnummer;Naam;E-mailadres;Accountmanager',
            '1;Renée Çelik;renee@example.nl;Jan Smit',
            '2;Zoë Hof;zoe@example.nl;jan smit',
            '3;Piet Bakker;piet@example.nl;JAN SMIT',
            '4;Els Veen;els@example.nl;Els Peters',
            '5;Kees Bos;kees@example.nl;Sanne Bakker',
            '6;Fout Adres;fout@@example;',
            '7;Alleen Nummer;;',
          ]),
        );
      });

      it('lists each unknown name once, with how many rows name it', async () => {
        expect(imp.progress).toMatchObject({ total: 7, valid: 2, rejected: 5, withoutEmail: 1 });
        const list = await owners(org, imp.id);
        expect(list.complete).toBe(true);
        expect(list.items).toEqual([
          { value: 'Jan Smit', problem: 'unknown_employee', rows: 3 },
          { value: 'Els Peters', problem: 'unknown_employee', rows: 1 },
        ]);
      });

      it('refuses a link to an employee that does not exist, naming the field', async () => {
        const res = await org.request({
          method: 'POST',
          url: `/api/v1/imports/${imp.id}/owners`,
          payload: {
            resolutions: [{ value: 'Els Peters', action: 'link', employeeId: 'no-such-employee' }],
          },
        });
        expect(res.statusCode).toBe(400);
        expect(
          res.json<{ error: { fields: { field: string; problem: string }[] } }>().error.fields,
        ).toMatchObject([{ field: 'resolutions.0.employeeId', problem: 'not_found' }]);
        expect((await get(org, imp.id)).status).toBe('validated');
      });

      it('checks again with the decisions applied, creating nobody before the import', async () => {
        const res = await org.request({
          method: 'POST',
          url: `/api/v1/imports/${imp.id}/owners`,
          payload: {
            resolutions: [
              { value: 'Jan Smit', action: 'create' },
              { value: 'Els Peters', action: 'link', employeeId: sanne },
            ],
          },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json<ImportJson>().status).toBe('validating');
        await drain();
        const checked = await get(org, imp.id);
        expect(checked.progress).toMatchObject({ valid: 6, rejected: 1, withoutEmail: 1 });
        expect(checked.ownerResolutions).toEqual([
          { value: 'Jan Smit', action: 'create' },
          { value: 'Els Peters', action: 'link', employeeId: sanne },
        ]);
        expect((await owners(org, imp.id)).items).toEqual([]);
        expect((await employeesOf(org)).map((e) => e.name)).toEqual(['Sanne Bakker']);
      });

      it('offers the rejected row as a Windows-1252 CSV like the upload, with a reason column', async () => {
        const res = await org.request({ url: `/api/v1/imports/${imp.id}/rejected` });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('text/csv; charset=windows-1252');
        expect(res.headers['content-disposition']).toContain('filename="klanten-afgekeurd.csv"');
        const text = iconv.decode(res.rawPayload, 'win1252');
        expect(text).toBe(
          'Klantnummer;Naam;E-mailadres;Accountmanager;Reden afkeuring\r\n' +
            '6;Fout Adres;fout@@example;;E-mailadres: is geen geldig e-mailadres\r\n',
        );
        // A colleague who reads English gets the reasons in English.
        const english = await org.request({
          method: 'PATCH',
          url: '/api/v1/auth/me',
          payload: { locale: 'en' },
        });
        expect(english.statusCode, english.body).toBe(200);
        const en = await org.request({ url: `/api/v1/imports/${imp.id}/rejected` });
        await org.request({ method: 'PATCH', url: '/api/v1/auth/me', payload: { locale: 'nl' } });
        expect(en.headers['content-disposition']).toContain('filename="klanten-rejected.csv"');
        expect(iconv.decode(en.rawPayload, 'win1252')).toBe(
          'Klantnummer;Naam;E-mailadres;Accountmanager;Reason rejected\r\n' +
            '6;Fout Adres;fout@@example;;E-mailadres: is not a valid email address\r\n',
        );
      });

      it('creates the new employee with the import and links every row that names them', async () => {
        const res = await org.request({
          method: 'POST',
          url: `/api/v1/imports/${imp.id}/commit`,
          payload: { mode: 'valid_only' },
        });
        expect(res.statusCode, res.body).toBe(200);
        await drain();
        const done = await get(org, imp.id);
        expect(done.status).toBe('completed');
        expect(done.progress).toMatchObject({ created: 6, rejected: 1, withoutEmail: 1 });
        const employees = await employeesOf(org);
        expect(employees.map((e) => [e.name, e.email])).toEqual([
          ['Jan Smit', null],
          ['Sanne Bakker', 'sanne@garage.example'],
        ]);
        const jan = employees[0]?.id;
        expect((await contactsOf(org)).map((c) => [c.external_id, c.owner_employee_id])).toEqual([
          ['1', jan],
          ['2', jan],
          ['3', jan],
          ['4', sanne],
          ['5', sanne],
          ['7', null],
        ]);
        // The rejected row is still there to download after the import.
        const again = await org.request({ url: `/api/v1/imports/${imp.id}/rejected` });
        expect(iconv.decode(again.rawPayload, 'win1252')).toContain('6;Fout Adres;fout@@example');
      });

      it('imports the fixed file again without taking the reason column as data', async () => {
        const fixed = await uploadAndCheck(
          org,
          'klanten-afgekeurd.csv',
          win1252([
            'Klantnummer;Naam;E-mailadres;Accountmanager;Reden afkeuring',
            '6;Fout Adres;fout@example.nl;;E-mailadres: is geen geldig e-mailadres',
          ]),
        );
        expect(fixed.detected.suggestedMapping['Reden afkeuring']).toBe('ignore');
        expect(fixed.progress).toMatchObject({ valid: 1, rejected: 0 });
      });
    },
  );

  it('imports the rows of a name left empty without an account manager', async () => {
    const org = await buildOrganisation(t, 'Garage Leeg');
    const imp = await uploadAndCheck(
      org,
      'klanten.csv',
      Buffer.from('Klantnummer,E-mail,Accountmanager\n1,a@example.nl,onbekend@garage.example\n'),
    );
    expect((await owners(org, imp.id)).items).toEqual([
      { value: 'onbekend@garage.example', problem: 'unknown_employee', rows: 1 },
    ]);
    await org.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/owners`,
      payload: { resolutions: [{ value: 'Onbekend@Garage.example', action: 'empty' }] },
    });
    await drain();
    expect((await get(org, imp.id)).progress).toMatchObject({ valid: 1, rejected: 0 });
    await org.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/commit`,
      payload: { mode: 'valid_only' },
    });
    await drain();
    expect(await contactsOf(org)).toEqual([
      { external_id: '1', email: 'a@example.nl', owner_employee_id: null },
    ]);
    expect(await employeesOf(org)).toEqual([]);
  });

  it('gives the rejected rows of an .xlsx back as an .xlsx with a reason column', async () => {
    const org = await buildOrganisation(t, 'Garage Excel');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Klanten');
    sheet.addRow(['Relatienummer', 'Naam', 'E-mail', 'Taal']);
    sheet.addRow([1, 'Renée', 'renee@example.nl', 'nl']);
    sheet.addRow([2, 'Zoë <&> "x"', 'zoe@example.nl', 'Klingon']);
    const imp = await uploadAndCheck(
      org,
      'klanten.xlsx',
      Buffer.from(await workbook.xlsx.writeBuffer()),
    );
    expect(imp.progress).toMatchObject({ valid: 1, rejected: 1 });
    const res = await org.request({ url: `/api/v1/imports/${imp.id}/rejected` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toContain('filename="klanten-afgekeurd.xlsx"');
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    read.worksheets[0]?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toEqual([
      ['Relatienummer', 'Naam', 'E-mail', 'Taal', 'Reden afkeuring'],
      [
        '2',
        'Zoë <&> "x"',
        'zoe@example.nl',
        'Klingon',
        'Taal: is geen bekende taal (gebruik nl of en)',
      ],
    ]);
  });
});
