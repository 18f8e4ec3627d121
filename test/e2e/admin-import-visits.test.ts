import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { startWorker, type Worker } from '../../src/platform/jobs/worker.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import { buildOrganisation, type Client, type TestApp } from '../support/harness.ts';

/** A workshop export: Dutch amounts and dates, `12,50` next to `12.50`, and two bad rows. */
const VISITS = [
  'Klantnummer;Datum;Bedrag;Soort;Werkorder',
  'K-100;28-10-2026;€ 1.234,56;APK;W-1',
  'K-100;3-11-26;12,50;Onderhoud;W-2',
  'K-999;01-10-2026;10,00;APK;W-3',
  'K-100;02-10-2026;12.50;APK;W-4',
].join('\r\n');

/** The page's width beyond the viewport, in CSS pixels (0 when nothing sticks out). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describeInBrowserOnce('admin app in Chromium: visits through the import wizard', (dialect) => {
  let db: Db;
  let worker: Worker;
  let browser: Browser;
  let page: Page;
  let owner: Client;
  let close: () => Promise<void>;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const dataDir = mkdtempSync(join(tmpdir(), 'loyaal-e2e-visits-'));
    const config = loadConfig({ LOGIN_RATE_LIMIT: '1000', WORKER: 'off', DATA_DIR: dataDir });
    const clock = { now: Date.now() };
    const deps = { db, config, now: () => clock.now, platform };
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const base = `http://127.0.0.1:${port}`;
    const t: TestApp = { app, db, deps, clock, close: async () => {} };
    owner = await buildOrganisation(t);
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Anna de Wit', email: 'anna@example.nl', externalId: 'K-100' },
    });
    expect(created.statusCode, created.body).toBe(201);
    worker = startWorker(deps, { concurrency: 1, pollMs: 100 });
    browser = await launchBrowser();
    page = await newPage(browser, base);
    page.setDefaultTimeout(30_000);
    await page
      .context()
      .addCookies([{ name: 'loyaal_session', value: owner.cookie.split('=')[1] ?? '', url: base }]);
    close = async () => {
      await browser.close();
      await worker.stop();
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
  });
  afterAll(async () => close());

  it('imports visits: asks which decimal separator, lists rejected rows with line and reason, imports the rest', async () => {
    await page.goto('/admin/import?kind=visits');
    await page.getByLabel('Bezoeken en aankopen (werkorders, facturen, bestellingen)').waitFor();
    expect(
      await page
        .getByLabel('Bezoeken en aankopen (werkorders, facturen, bestellingen)')
        .isChecked(),
    ).toBe(true);
    await page.getByTestId('visits-hint').waitFor();
    await page.setInputFiles('#import-file', {
      name: 'werkplaats.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(VISITS),
    });
    await page.getByRole('heading', { name: 'Welke kolom is wat?' }).waitFor();
    await expect
      .poll(() => page.getByLabel('Wat staat er in kolom Bedrag?').inputValue(), {
        timeout: 15_000,
      })
      .toBe('amount');
    expect(await page.getByLabel('Wat staat er in kolom Datum?').inputValue()).toBe('visitedAt');
    expect(await page.getByLabel('Wat staat er in kolom Klantnummer?').inputValue()).toBe(
      'customerNumber',
    );
    await page.getByRole('button', { name: 'Controleren' }).click();

    // 12,50 and 12.50 in one file: the wizard asks, it does not guess.
    const question = page.getByTestId('decimal-question');
    await question.waitFor();
    expect(await question.textContent()).toContain('12.50');
    await screenshot(page, `admin-import-visits-question-${dialect}`);
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => overflow(page), { timeout: 15_000 }).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByLabel('Een komma, zoals in 1.234,56 (Nederlandse schrijfwijze)').check();
    await page.getByRole('button', { name: 'Opnieuw controleren' }).click();

    await page.getByRole('heading', { name: 'Uitkomst van de controle' }).waitFor();
    const errorRows = page.getByTestId('import-errors').locator('tbody tr');
    await expect.poll(() => errorRows.count(), { timeout: 15_000 }).toBe(2);
    const first = await errorRows.nth(0).locator('td').allTextContents();
    expect(first.slice(0, 3)).toEqual(['4', 'Klant', 'K-999']);
    expect(first[3]).toMatch(/geen bekende klant/);
    const second = await errorRows.nth(1).locator('td').allTextContents();
    expect(second.slice(0, 3)).toEqual(['5', 'Bedrag', '12.50']);
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => overflow(page), { timeout: 15_000 }).toBeLessThanOrEqual(0);
    await screenshot(page, `admin-import-visits-result-390-${dialect}`);
    await page.setViewportSize({ width: 1280, height: 860 });

    await page.getByRole('button', { name: 'Importeer de 2 goede regels' }).click();
    await page.getByRole('heading', { name: 'Klaar: de bezoeken zijn ingelezen' }).waitFor();
    expect(await page.getByText('nieuwe bezoeken').count()).toBe(1);

    const contacts = await owner.request({ url: '/api/v1/contacts?q=K-100' });
    const annaId = contacts.json<{ items: { id: string }[] }>().items[0]?.id;
    const visits = (await owner.request({ url: `/api/v1/contacts/${annaId}/visits` })).json<{
      visits: { externalId: string; amount: number }[];
    }>().visits;
    expect(visits.map((v) => [v.externalId, v.amount]).sort()).toEqual([
      ['W-1', 1234.56],
      ['W-2', 12.5],
    ]);
  });
});
