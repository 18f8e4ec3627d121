import ExcelJS from 'exceljs';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportResultsXlsx } from '../../src/modules/analytics/analytics.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildEmployee, buildResponse, buildSurvey } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

const DAY = 86_400_000;

async function open(bytes: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book;
}

const values = (sheet: ExcelJS.Worksheet) => {
  const out: unknown[][] = [];
  sheet.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
};

/**
 * The answers as .xlsx (issue 10): downloaded and opened with a spreadsheet library — header in the
 * reader's language, one row per answer, a formula-like comment kept as text; an account manager's
 * own customers only; past the per-sheet row limit the rows continue on a next sheet.
 */
describeEachDialect('results export to .xlsx', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  let sanne: string;
  const now = Date.UTC(2026, 10, 1, 9, 0, 0);

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage Excel');
    orgId = owner.organisationId;
    sanne = (await buildEmployee(t.db.kysely, orgId, { name: 'Sanne de Boer' })).id;
    const survey = await buildSurvey(t.db.kysely, orgId);
    const ref = { organisationId: orgId, surveyId: survey.id };
    const rows: Array<[number, string | null, string | null]> = [
      [10, 'Top geholpen', sanne],
      [9, '=HYPERLINK("http://x","klik")', null],
      [3, 'Te laat', sanne],
      [8, null, null],
      [6, 'Matig', null],
    ];
    let i = 0;
    for (const [score, comment, owner_employee_id] of rows) {
      await buildResponse(t.db.kysely, ref, {
        score,
        comment,
        owner_employee_id,
        answered_at: now - (1 + i++) * DAY,
      });
    }
  });
  afterAll(async () => t.close());

  it('downloads the answers as a workbook a spreadsheet library opens', async () => {
    const res = await owner.request({ url: '/api/v1/results/responses.xlsx' });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toContain('antwoorden.xlsx');
    const book = await open(res.rawPayload);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Antwoorden']);
    const rows = values(book.worksheets[0] as ExcelJS.Worksheet);
    expect(rows[0]?.slice(0, 4)).toEqual(['Beantwoord op', 'Score', 'Categorie', 'Toelichting']);
    expect(rows).toHaveLength(6);
    expect(rows.slice(1).map((r) => r[1])).toEqual([10, 9, 3, 8, 6]);
    // A comment that looks like a formula is a text cell, never a formula.
    expect(rows[2]?.[3]).toBe('=HYPERLINK("http://x","klik")');
    expect(rows[1]?.[6]).toBe('Sanne de Boer');
  });

  it('gives an account manager their own customers only, and refuses a bad filter cleanly', async () => {
    const am = await buildMember(t, orgId, 'account_manager', sanne);
    const res = await am.request({ url: '/api/v1/results/responses.xlsx' });
    expect(res.statusCode).toBe(200);
    const rows = values((await open(res.rawPayload)).worksheets[0] as ExcelJS.Worksheet);
    expect(rows.slice(1).map((r) => r[3])).toEqual(['Top geholpen', 'Te laat']);
    const bad = await owner.request({
      url: '/api/v1/results/responses.xlsx?surveyId=00000000-0000-4000-8000-000000000000',
    });
    expect(bad.statusCode).toBe(404);
  });

  it('continues on a next sheet past the row limit, header repeated', async () => {
    const stream = await exportResultsXlsx(
      t.db.kysely,
      {
        kind: 'user',
        id: 'test',
        organisationId: orgId,
        role: 'owner',
        employeeId: null,
        locale: 'nl',
      },
      { total: false },
      { rowsPerSheet: 3 },
    );
    const book = await open(await buffer(stream));
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'Antwoorden',
      'Antwoorden 2',
      'Antwoorden 3',
    ]);
    const sheets = book.worksheets.map((s) => values(s));
    expect(sheets.map((rows) => rows.length)).toEqual([3, 3, 2]);
    expect(sheets.every((rows) => rows[0]?.[0] === 'Beantwoord op')).toBe(true);
    expect(sheets.flatMap((rows) => rows.slice(1).map((r) => r[1]))).toEqual([10, 9, 3, 8, 6]);
  });
});
