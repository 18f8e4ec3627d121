import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { logIn, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildEmployee, buildResponse, buildSurvey } from '../support/factories.ts';
import { buildOrganisation } from '../support/harness.ts';
import { checkOnPhone } from './first-day.helpers.ts';

const DAY = 86_400_000;

/**
 * The breakdown screen (issue 10) in real Chromium: NPS per account manager with n, raw NPS and
 * interval and the shrunk estimate; a group below the minimum shows its estimate and interval and
 * is not ranked on its raw 100; the funnel plot draws the 95 % and 99.8 % limits and places the
 * clearly better and clearly worse account managers outside them; per segment too; the export
 * button downloads the same rows as an .xlsx a library opens; fits 390 px.
 */
describeInBrowserOnce('admin app in Chromium: the breakdown with its funnel plot', (dialect) => {
  let admin: AdminApp;
  let ownerEmail: string;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    const db = admin.db;
    const now = Date.now();
    const org = await buildOrganisation(admin, 'Installatie Noord');
    ownerEmail = org.email;
    const survey = await buildSurvey(db.kysely, org.organisationId);
    const ref = { organisationId: org.organisationId, surveyId: survey.id };
    const plan: Array<[string, string, number, number, number]> = [
      ['Sanne de Boer', 'Groningen', 120, 30, 10],
      ['Pieter Bakker', 'Leeuwarden', 50, 50, 60],
      ['Kim Visser', 'Assen', 3, 0, 0],
    ];
    let k = 0;
    for (const [name, segment, p, o, d] of plan) {
      const employee = await buildEmployee(db.kysely, org.organisationId, { name });
      const scores = [
        ...new Array<number>(p).fill(10),
        ...new Array<number>(o).fill(8),
        ...new Array<number>(d).fill(3),
      ];
      for (const score of scores) {
        await buildResponse(db.kysely, ref, {
          score,
          segment,
          owner_employee_id: employee.id,
          answered_at: now - (1 + (k++ % 60)) * DAY,
        });
      }
    }
  }, 120_000);
  afterAll(async () => admin.close());

  it('ranks on shrunk estimates, keeps small groups unranked and draws the funnel', async () => {
    const page = await logIn(admin, ownerEmail);
    await page.getByRole('navigation').getByRole('link', { name: 'Uitsplitsing' }).click();
    const table = page.getByTestId('breakdown-table');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(3);
    expect(await page.getByLabel('Uitsplitsen naar').inputValue()).toBe('employee');
    const names = await table.locator('tbody th').allTextContents();
    // Kim's three promoters (raw +100) do not top the list: the order is by the shrunk estimate.
    expect(names).toEqual(['Sanne de Boer', 'Kim Visser', 'Pieter Bakker']);
    const sanne = table.locator('tbody tr').nth(0);
    expect(await sanne.locator('td').first().textContent()).toBe('160');
    expect(await sanne.getAttribute('data-position')).toBe('far-above');
    expect(await sanne.locator('[data-testid="raw"]').textContent()).toMatch(
      /^\+69 \(\+\d+ … \+\d+\)$/,
    );
    const kim = table.locator('tbody tr').nth(1);
    expect(await kim.getAttribute('data-below-minimum')).toBe('true');
    expect(await kim.locator('[data-testid="raw"]').textContent()).toContain(
      'minder dan 30 antwoorden',
    );
    expect(await kim.locator('[data-testid="shrunk"]').textContent()).toMatch(
      /^[+-]?\d+ \([+-]?\d+ … [+-]?\d+\)$/,
    );
    const pieter = table.locator('tbody tr').nth(2);
    expect(await pieter.getAttribute('data-position')).toBe('far-below');

    // The funnel plot: the organisation's line, two 95 % and two 99.8 % limits, one dot per group.
    const plot = page.getByTestId('funnel-plot');
    expect(await plot.locator('[data-limit="target"]').count()).toBe(1);
    expect(await plot.locator('[data-limit="95"]').count()).toBe(2);
    expect(await plot.locator('[data-limit="99.8"]').count()).toBe(2);
    expect(await plot.locator('circle').count()).toBe(3);
    expect(await plot.locator('circle[data-position="far-above"]').count()).toBe(1);
    expect(await plot.locator('circle[data-position="far-below"]').count()).toBe(1);

    // Per segment: the same three groups under their place names.
    await page.getByLabel('Uitsplitsen naar').selectOption('segment');
    await expect
      .poll(async () => (await table.locator('tbody th').allTextContents()).sort(), {
        timeout: 30_000,
      })
      .toEqual(['Assen', 'Groningen', 'Leeuwarden']);

    // The breakdown as .xlsx: the button downloads what the screen shows, opened with a library,
    // every row equal to the JSON breakdown behind the same query.
    await page.getByLabel('Uitsplitsen naar').selectOption('employee');
    await expect
      .poll(() => table.locator('tbody th').allTextContents(), { timeout: 30_000 })
      .toEqual(['Sanne de Boer', 'Kim Visser', 'Pieter Bakker']);
    const button = page.getByTestId('export-breakdown-xlsx');
    expect(await button.textContent()).toBe('Exporteren naar Excel (.xlsx)');
    const href = (await button.getAttribute('href')) ?? '';
    expect(href).toContain('dimension=employee');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(
      /^nps-per-accountmanager-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile(await download.path())) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet?.name).toBe('Uitsplitsing');
    const rows: unknown[][] = [];
    sheet?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]?.slice(0, 3)).toEqual(['Accountmanager', 'Antwoorden', 'NPS']);
    const json = await page.request.get(href.replace('/breakdown.xlsx', '/breakdown'));
    const groups = (
      (await json.json()) as {
        groups: Array<{ label: string; n: number; nps: number; shrunk: { estimate: number } }>;
      }
    ).groups;
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[5]])).toEqual(
      groups.map((g) => [g.label, g.n, g.nps, g.shrunk.estimate]),
    );
    expect(rows.find((r) => r[0] === 'Kim Visser')?.[8]).toBe('ja');
    expect(rows.find((r) => r[0] === 'Sanne de Boer')?.[9]).toBe('duidelijk hoger (99,8%)');

    await checkOnPhone(page, `insight-breakdown-${dialect}`);
  }, 120_000);
});
