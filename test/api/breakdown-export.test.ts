import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
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

interface Group {
  key: string;
  label: string | null;
  n: number;
  nps: number | null;
  interval: { low: number; high: number } | null;
  shrunk: { estimate: number; low: number; high: number } | null;
  belowMinimum: boolean;
  funnel: string | null;
}

async function sheetRows(bytes: Buffer): Promise<{ name: string; rows: unknown[][] }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  expect(book.worksheets).toHaveLength(1);
  const sheet = book.worksheets[0] as ExcelJS.Worksheet;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => {
    // exceljs leaves trailing empty cells out; pad every row to the header's ten columns.
    const cells = (row.values as unknown[]).slice(1);
    rows.push(Array.from({ length: 10 }, (_, i) => cells[i] ?? null));
  });
  return { name: sheet.name, rows };
}

const POSITION_NL: Record<string, string> = {
  'far-above': 'duidelijk hoger (99,8%)',
  above: 'hoger (95%)',
  within: 'binnen de ruis',
  below: 'lager (95%)',
  'far-below': 'duidelijk lager (99,8%)',
};

/** The row the workbook must hold for a group of the JSON breakdown (Dutch reader). */
function expectedRow(g: Group, label: string): unknown[] {
  return [
    label,
    g.n,
    g.nps,
    g.interval?.low ?? null,
    g.interval?.high ?? null,
    g.shrunk?.estimate ?? null,
    g.shrunk?.low ?? null,
    g.shrunk?.high ?? null,
    g.belowMinimum ? 'ja' : 'nee',
    g.funnel === null ? null : POSITION_NL[g.funnel],
  ];
}

/**
 * The breakdown as .xlsx (issue 10, exports): opened with a spreadsheet library, every row equals
 * the JSON breakdown — same groups, same order, same unrounded numbers — per account manager, team,
 * segment and location; an account manager's workbook holds their own row only and the team
 * ranking is refused as in the API; headers follow the reader's language.
 */
describeEachDialect('breakdown export to .xlsx', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  const people: Record<string, string> = {};
  const now = Date.UTC(2026, 10, 1, 9, 0, 0); // the harness clock
  const period = 'from=2026-09-01&to=2026-11-01';

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Installateur Export');
    orgId = owner.organisationId;
    const survey = await buildSurvey(t.db.kysely, orgId);
    const ref = { organisationId: orgId, surveyId: survey.id };
    const locations: Record<string, string> = {};
    for (const name of ['Leeuwarden', 'Sneek']) {
      const res = await owner.request({
        method: 'POST',
        url: '/api/v1/locations',
        payload: { name },
      });
      locations[name] = res.json<{ id: string }>().id;
    }
    // name, team, segment, location, promoters, passives, detractors
    const plan: Array<[string, string, string, string, number, number, number]> = [
      ['Sanne de Boer', 'Noord', 'Particulier', 'Leeuwarden', 40, 10, 4],
      ['Pieter Bakker', 'Noord', 'Zakelijk', 'Sneek', 12, 10, 20],
      ['Kim Visser', 'Zuid', 'Particulier', 'Sneek', 3, 1, 0],
      ['Ank Zuid', 'Zuid', 'Zakelijk', 'Leeuwarden', 15, 15, 8],
    ];
    let k = 0;
    for (const [name, team, segment, location, p, o, d] of plan) {
      const e = await buildEmployee(t.db.kysely, orgId, { name, team });
      people[name] = e.id;
      const scores = [
        ...new Array<number>(p).fill(10),
        ...new Array<number>(o).fill(7),
        ...new Array<number>(d).fill(2),
      ];
      for (const score of scores) {
        await buildResponse(t.db.kysely, ref, {
          score,
          segment,
          location_id: locations[location] ?? null,
          owner_employee_id: e.id,
          answered_at: now - (1 + (k++ % 50)) * DAY,
        });
      }
    }
    // Answers nobody owns, in no segment or location: a "(geen)" row where the dimension has one.
    for (let i = 0; i < 5; i++) {
      await buildResponse(t.db.kysely, ref, { score: 9, answered_at: now - (2 + i) * DAY });
    }
  });
  afterAll(async () => t.close());

  async function both(c: Client, dimension: string, extra = '') {
    const json = await c.request({
      url: `/api/v1/results/breakdown?dimension=${dimension}&${period}${extra}`,
    });
    const xlsx = await c.request({
      url: `/api/v1/results/breakdown.xlsx?dimension=${dimension}&${period}${extra}`,
    });
    return { json, xlsx };
  }

  for (const dimension of ['employee', 'team', 'segment', 'location'] as const) {
    it(`holds the JSON breakdown per ${dimension}, row for row and value for value`, async () => {
      const { json, xlsx } = await both(owner, dimension);
      expect(json.statusCode, json.body).toBe(200);
      expect(xlsx.statusCode, xlsx.body.slice(0, 200)).toBe(200);
      expect(xlsx.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(xlsx.headers['content-disposition']).toMatch(
        /^attachment; filename="nps-per-[a-z]+-2026-09-01-2026-11-01\.xlsx"$/,
      );
      const groups = json.json<{ groups: Group[] }>().groups;
      expect(groups.length).toBeGreaterThanOrEqual(2);
      const { name, rows } = await sheetRows(xlsx.rawPayload);
      expect(name).toBe('Uitsplitsing');
      expect(rows[0]?.[1]).toBe('Antwoorden');
      expect(rows[0]?.[8]).toBe('Minder dan 30 antwoorden');
      expect(rows.slice(1)).toEqual(groups.map((g) => expectedRow(g, g.label ?? '(geen)')));
      // The numbers are the real ones, not rounded for display.
      expect(rows.slice(1).some((r) => typeof r[5] === 'number' && !Number.isInteger(r[5]))).toBe(
        true,
      );
    });
  }

  it('names the dimension in the first header and flags the small group', async () => {
    const { xlsx } = await both(owner, 'employee');
    const { rows } = await sheetRows(xlsx.rawPayload);
    expect(rows[0]?.[0]).toBe('Accountmanager');
    const kim = rows.find((r) => r[0] === 'Kim Visser');
    expect(kim?.[1]).toBe(4);
    expect(kim?.[8]).toBe('ja');
    const sanne = rows.find((r) => r[0] === 'Sanne de Boer');
    expect(sanne?.[8]).toBe('nee');
  });

  it('gives an account manager their own row only, and no team ranking', async () => {
    const sanne = await buildMember(t, orgId, 'account_manager', people['Sanne de Boer'] ?? null);
    const { json, xlsx } = await both(sanne, 'employee');
    expect(xlsx.statusCode, xlsx.body.slice(0, 200)).toBe(200);
    const groups = json.json<{ groups: Group[] }>().groups;
    expect(groups.map((g) => g.label)).toEqual(['Sanne de Boer']);
    const { rows } = await sheetRows(xlsx.rawPayload);
    expect(rows.slice(1)).toEqual(groups.map((g) => expectedRow(g, g.label ?? '')));
    const teams = await both(sanne, 'team');
    expect(teams.json.statusCode).toBe(403);
    expect(teams.xlsx.statusCode).toBe(403);
    expect(teams.xlsx.json<{ error: { code: string } }>().error.code).toBe('forbidden');
  });

  it('gives a team manager their team and themselves, as the API does', async () => {
    const chef = await buildMember(t, orgId, 'manager', people['Pieter Bakker'] ?? null);
    const { json, xlsx } = await both(chef, 'employee');
    const groups = json.json<{ groups: Group[] }>().groups;
    expect(groups.map((g) => g.label).sort()).toEqual(['Pieter Bakker', 'Sanne de Boer']);
    const { rows } = await sheetRows(xlsx.rawPayload);
    expect(rows.slice(1)).toEqual(groups.map((g) => expectedRow(g, g.label ?? '')));
  });

  it('writes headers in English for an English reader and refuses a bad dimension by name', async () => {
    const me = await owner.request({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      payload: { locale: 'en' },
    });
    expect(me.statusCode, me.body).toBe(200);
    try {
      const { xlsx } = await both(owner, 'segment');
      expect(xlsx.headers['content-disposition']).toContain('nps-per-segment-');
      const { name, rows } = await sheetRows(xlsx.rawPayload);
      expect(name).toBe('Breakdown');
      expect(rows[0]?.slice(0, 3)).toEqual(['Segment', 'Answers', 'NPS']);
      expect(rows.some((r) => r[0] === '(none)')).toBe(true);
      const bad = await owner.request({ url: '/api/v1/results/breakdown.xlsx?dimension=colour' });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('dimension');
    } finally {
      await owner.request({ method: 'PATCH', url: '/api/v1/auth/me', payload: { locale: 'nl' } });
    }
  });
});
