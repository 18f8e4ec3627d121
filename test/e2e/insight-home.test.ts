import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { logIn, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildContact, buildResponse, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, type Client } from '../support/harness.ts';
import { checkOnPhone, PHONE, expectFits } from './first-day.helpers.ts';

const DAY = 86_400_000;

const DUTCH_MONTH =
  /^(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4}$/;

/**
 * The first screen (issue 10) in real Chromium: the NPS of the last 90 days with its interval and
 * the answers it rests on, a real rise against the 90 days before with the test in a tooltip, the
 * trend as a chart with a table behind it in Dutch month names, the split, the distribution, the
 * five latest comments — on a laptop and on a 390 px phone without sideways scrolling; and a
 * fresh organisation's trend that starts at its first answer.
 */
describeInBrowserOnce('admin app in Chromium: the first results screen', (dialect) => {
  let admin: AdminApp;
  let shop: Client;
  let bakery: Client;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    const db = admin.db;
    const now = Date.now();
    shop = await buildOrganisation(admin, 'Fietsenwinkel Jansen');
    bakery = await buildOrganisation(admin, 'Bakkerij Vers');
    const survey = await buildSurvey(db.kysely, shop.organisationId);
    const ref = { organisationId: shop.organisationId, surveyId: survey.id };
    const contact = await buildContact(db.kysely, shop.organisationId, { name: 'Zoë de Wit' });
    // The 90 days before: 80 answers at NPS 0. The last 90 days: 80 answers at NPS +50.
    for (let i = 0; i < 80; i++) {
      await buildResponse(db.kysely, ref, {
        score: i < 32 ? 10 : i < 48 ? 7 : 2,
        answered_at: now - (100 + (i % 70)) * DAY,
      });
      await buildResponse(db.kysely, ref, {
        score: i < 48 ? 9 : i < 72 ? 8 : 4,
        answered_at: now - (2 + (i % 80)) * DAY + i,
        comment: i >= 72 ? `Opmerking nummer ${i}` : null,
        contact_id: i >= 72 ? contact.id : null,
      });
    }
    // The bakery answered for the first time two days ago.
    const bread = await buildSurvey(db.kysely, bakery.organisationId);
    for (const score of [10, 9, 6]) {
      await buildResponse(
        db.kysely,
        { organisationId: bakery.organisationId, surveyId: bread.id },
        { score, answered_at: now - 2 * DAY },
      );
    }
  }, 120_000);
  afterAll(async () => admin.close());

  async function results(owner: Client): Promise<Page> {
    const page = await logIn(admin, owner.email);
    await page.getByRole('navigation').getByRole('link', { name: 'Resultaten' }).click();
    return page;
  }

  it('shows the period, a real rise with its test, the trend, split, distribution and comments', async () => {
    const page = await results(shop);
    await expect
      .poll(() => page.getByTestId('nps-value').textContent(), { timeout: 30_000 })
      .toBe('+50');
    const card = (await page.getByTestId('nps-card').textContent()) ?? '';
    expect(card).toContain('Op basis van 80 antwoorden.');
    expect(card).toMatch(/Met 95% zekerheid ligt de echte NPS tussen \+\d+ en \+\d+\./);

    // The change: +50 against 0, called real, with the p-value and probability in the tooltip.
    const change = page.getByTestId('nps-change');
    expect(await change.getAttribute('data-real')).toBe('true');
    expect(await change.textContent()).toContain('+50 ten opzichte van de periode ervoor (0)');
    expect(await change.textContent()).toContain('een echte stijging');
    const tip = (await change.locator('.tip').getAttribute('title')) ?? '';
    expect(tip).toMatch(/^p (<|=) 0[,.]\d+; kans dat de NPS echt steeg: 100%/);

    // The trend: a line with its band, and the same figures as a table in Dutch.
    const chart = page.getByTestId('trend-chart');
    await chart.waitFor();
    expect(await chart.getAttribute('aria-label')).toContain('met de 95%-marge als band');
    expect(await chart.locator('polyline').count()).toBeGreaterThan(0);
    // Per week (the default for 90 days): the weeks hold exactly the period's 80 answers.
    const table = page.getByTestId('trend-table');
    await table.locator('summary').click();
    const weeks = await table.locator('tbody th').allTextContents();
    expect(weeks.length).toBeGreaterThanOrEqual(12);
    expect(weeks.every((w) => /^Week \d+ \(vanaf \d+ [a-z]+\.?\)$/.test(w))).toBe(true);
    const perWeek = await table.locator('tbody td:last-child').allTextContents();
    expect(perWeek.reduce((n, a) => n + Number(a), 0)).toBe(80);
    // Per month: Dutch month names, three or four of them for 90 days.
    await page.getByRole('button', { name: 'Per maand' }).click();
    // Waits for the months, not for any short table: an empty one (still loading) is not them.
    await expect
      .poll(
        async () => {
          const n = await table.locator('tbody tr').count();
          return n >= 3 && n <= 4;
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    const months = await table.locator('tbody th').allTextContents();
    expect(months.length).toBeGreaterThanOrEqual(3);
    expect(months.every((m) => DUTCH_MONTH.test(m))).toBe(true);

    // Split, distribution (bars and table) and the five latest comments.
    expect(await page.getByTestId('split-card').textContent()).toContain('60%');
    expect(await page.getByTestId('distribution-chart').locator('rect').count()).toBe(11);
    await page.getByTestId('distribution-table').locator('summary').click();
    const perScore = await page
      .getByTestId('distribution-table')
      .locator('tbody td')
      .allTextContents();
    expect(perScore.map(Number)).toEqual([0, 0, 0, 0, 8, 0, 0, 0, 24, 48, 0]);
    const comments = page.getByTestId('latest-comments').locator('li');
    expect(await comments.count()).toBe(5);
    expect(await comments.first().textContent()).toContain('Zoë de Wit');

    await checkOnPhone(page, `insight-home-${dialect}`);

    // The answers as .xlsx: downloaded from the responses screen and opened with a library.
    await page.getByRole('navigation').getByRole('link', { name: 'Reacties' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-xlsx').click(),
    ]);
    expect(download.suggestedFilename()).toBe('antwoorden.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile(await download.path())) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet?.name).toBe('Antwoorden');
    expect(sheet?.getRow(1).getCell(1).value).toBe('Beantwoord op');
    expect(sheet?.actualRowCount).toBe(161);
    await page.context().close();
  }, 120_000);

  it('starts a fresh organisation’s trend at its first answer, not eleven empty months', async () => {
    const page = await results(bakery);
    await expect
      .poll(() => page.getByTestId('nps-value').textContent(), { timeout: 30_000 })
      .toBe('+33');
    expect(await page.getByTestId('nps-change').getAttribute('data-real')).toBe('none');
    await page.getByRole('button', { name: 'Per maand' }).click();
    await page.getByTestId('trend-table').locator('summary').click();
    // Waits for months whose answers add up, not for any short table (the weeks, or one loading).
    const trend = page.getByTestId('trend-table');
    const monthly = async () => {
      const labels = await trend.locator('tbody th').allTextContents();
      const counts = await trend.locator('tbody td:last-child').allTextContents();
      return {
        months: labels.length > 0 && labels.every((l) => DUTCH_MONTH.test(l.trim())),
        answers: counts.reduce((n, a) => n + Number(a), 0),
      };
    };
    await expect.poll(monthly, { timeout: 30_000 }).toEqual({ months: true, answers: 3 });
    expect(await trend.locator('tbody tr').count()).toBeLessThanOrEqual(2);
    await page.setViewportSize(PHONE);
    await expectFits(page, 'the results at 390 px');
    await page.context().close();
  }, 120_000);
});
