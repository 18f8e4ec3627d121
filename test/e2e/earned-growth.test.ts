import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import { buildEarnedGrowthStory } from '../support/earned-growth-story.ts';
import { buildOrganisation, TEST_PASSWORD, type Client, type TestApp } from '../support/harness.ts';
import { DESKTOP, PHONE, expectFits } from './first-day.helpers.ts';

/**
 * The loyalty screen's earned growth in real Chromium (issues 11 and 12): per month the revenue of
 * returning customers and of referred new customers, and the earned growth rate, as the worked
 * example in `buildEarnedGrowthStory` says; on a phone the table scrolls in its own frame and
 * nothing else sideways.
 */
describeInBrowserOnce('admin app in Chromium: earned growth with referred customers', (dialect) => {
  let db: Db;
  let browser: Browser;
  let baseURL: string;
  let owner: Client;
  let close: () => Promise<void>;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    // A fixed clock in the past: the session cookie's Expires (1 November + 14 days) has passed
    // for the browser, which keeps the session by its Max-Age.
    const clock = { now: Date.UTC(2026, 10, 1, 9) };
    const config = loadConfig({ LOGIN_RATE_LIMIT: '1000', WORKER: 'off' });
    const deps = { db, config, now: () => clock.now, platform };
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const t: TestApp = { app, db, deps, clock, close: async () => {} };
    owner = await buildOrganisation(t, 'Garage Groei');
    await buildEarnedGrowthStory(t, owner, await buildOrganisation(t, 'Garage Elders'));
    browser = await launchBrowser();
    close = async () => {
      await browser.close();
      await app.close();
      await db.close();
    };
  }, 120_000);
  afterAll(async () => close());

  it('shows the referred new customers’ revenue and the earned growth per month', async () => {
    const page = await newPage(browser, baseURL);
    page.setDefaultTimeout(30_000);
    await page.goto('/admin/');
    await page.getByLabel('E-mailadres').fill(owner.email);
    await page.getByLabel('Wachtwoord').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
    await page.goto('/admin/loyalty');
    await page
      .getByRole('heading', { name: 'Verdiende groei: terugkerende en doorverwezen klanten' })
      .waitFor();
    const table = page.getByTestId('earned-growth');
    const headers = await table.locator('thead th').allTextContents();
    expect(headers).toContain('Van doorverwezen nieuwe klanten');
    expect(headers).toContain('Verdiende groei');
    const row = async (month: string) =>
      (await table.locator('tbody tr', { hasText: month }).locator('td').allTextContents()).map(
        (x) => x.replace(/\s/g, ' '),
      );
    // September: € 780, € 580 returning, € 200 referred new, 58 % of August, EGR −22 %. The month
    // as a reader writes it, not the API's "2026-09".
    expect(await row('sep 2026')).toEqual(['sep 2026', '€ 780', '€ 580', '€ 200', '58%', '-22%']);
    // October: all returning, nothing referred new; 850/780 = 109 %, EGR 9 %.
    expect(await row('okt 2026')).toEqual(['okt 2026', '€ 850', '€ 850', '€ 0', '109%', '9%']);
    expect(await table.locator('tbody').textContent()).not.toMatch(/\d{4}-\d{2}/);
    for (const [size, label] of [
      [PHONE, '390'],
      [DESKTOP, '1280'],
    ] as const) {
      await page.setViewportSize(size);
      await expectFits(page, `at ${label} px`);
      await screenshot(page, `earned-growth-${dialect}-${label}`);
    }
    await page.context().close();
  }, 120_000);
});
