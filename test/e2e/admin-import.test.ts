import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { startWorker, type Worker } from '../../src/platform/jobs/worker.ts';
import { buildApp } from '../../src/server/app.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';
import { platform } from '../../src/server/start.ts';

/** A Dutch customer export as Excel writes it: semicolons, Windows-1252, one broken email. */
const CSV_LINES = [
  'Naam;E-mailadres;Telefoon;Taal;Accountmanager;Bedrijf;Segment',
  'Renée Çelik-Smit;renee@voorbeeld.nl;06-12345678;nl;Jan de Vries;Bakkerij Çelik B.V.;Zakelijk',
  "Zoë van 't Hof;zoe@voorbeeld.nl;+31 20 123 4567;en;;;Particulier",
  'Jan Jansen;jan@@voorbeeld;0612345678;nl;;;Particulier',
  'Piet Pietersen;piet@voorbeeld.nl;;nl;Jan de Vries;;Particulier',
];

describeEachDialect('admin app in Chromium: first visit, import, accent-free search', (dialect) => {
  let db: Db;
  let worker: Worker;
  let browser: Browser;
  let page: Page;
  let close: () => Promise<void>;
  let dataDir: string;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    dataDir = mkdtempSync(join(tmpdir(), 'loyaal-e2e-'));
    const config = loadConfig({ LOGIN_RATE_LIMIT: '1000', WORKER: 'off', DATA_DIR: dataDir });
    const deps = { db, config, now: () => Date.now(), platform };
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    worker = startWorker(deps, { concurrency: 1, pollMs: 100 });
    browser = await launchBrowser();
    page = await newPage(browser, `http://127.0.0.1:${port}`);
    close = async () => {
      await browser.close();
      await worker.stop();
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
  });
  afterAll(async () => close());

  it('walks setup, login, the import wizard with a rejected row, and finds Çelik by "celik"', async () => {
    // First visit: the setup form creates the organisation and logs the owner in.
    await page.goto('/admin/');
    await page.getByLabel('Naam van uw bedrijf').fill('Garage De Vries');
    await page.getByLabel('Uw naam').fill('Piet de Vries');
    await page.getByLabel('E-mailadres').fill('piet@garagedevries.nl');
    await page.getByLabel('Wachtwoord').fill('correct horse battery');
    await page.getByRole('button', { name: 'Account aanmaken' }).click();
    // The owner lands on the first-run checklist; the contacts are still empty.
    await page.getByTestId('checklist').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Contacten' }).click();
    await page.getByRole('heading', { name: 'Contacten', exact: true }).waitFor();
    await page.getByText('Nog geen contacten').waitFor();

    // Log out and back in.
    await page.getByRole('button', { name: 'Uitloggen' }).click();
    await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
    await page.getByLabel('E-mailadres').fill('piet@garagedevries.nl');
    await page.getByLabel('Wachtwoord').fill('correct horse battery');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByTestId('checklist').waitFor();

    // The account manager named in the file must exist, so add him first.
    await page.getByRole('link', { name: 'Medewerkers' }).click();
    await page.getByRole('link', { name: 'Nieuwe medewerker' }).first().click();
    await page.getByLabel('Naam').fill('Jan de Vries');
    await page.getByRole('button', { name: 'Medewerker toevoegen' }).click();
    await page.getByRole('heading', { name: 'Jan de Vries' }).waitFor();

    // Upload the Windows-1252 file: the mapping step shows the headers and a readable preview.
    await page.getByRole('link', { name: 'Importeren' }).click();
    await page.setInputFiles('#import-file', {
      name: 'klanten.csv',
      mimeType: 'text/csv',
      buffer: iconv.encode(CSV_LINES.join('\r\n') + '\r\n', 'windows-1252'),
    });
    await page.getByRole('heading', { name: 'Welke kolom is wat?' }).waitFor();
    await expect
      .poll(() => page.getByLabel('Wat staat er in kolom E-mailadres?').inputValue(), {
        timeout: 30_000,
      })
      .toBe('email');
    expect(await page.getByLabel('Wat staat er in kolom Accountmanager?').inputValue()).toBe(
      'owner',
    );
    expect(await page.getByTestId('import-preview').textContent()).toContain('Renée Çelik-Smit');
    expect(await page.getByText('Tekenset: windows-1252').count()).toBe(1);

    await screenshot(page, `admin-import-mapping-${dialect}`);

    // Check: one row is rejected, with its line number, column, value and reason.
    await page.getByRole('button', { name: 'Controleren' }).click();
    await page.getByRole('heading', { name: 'Uitkomst van de controle' }).waitFor({
      timeout: 20_000,
    });
    const errorRows = page.getByTestId('import-errors').locator('tbody tr');
    await errorRows.first().waitFor();
    expect(await errorRows.count()).toBe(1);
    const cells = await errorRows.first().locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['4', 'E-mailadres', 'jan@@voorbeeld']);
    expect(cells[3]).toMatch(/e-mailadres/i);

    await screenshot(page, `admin-import-result-${dialect}`);

    // Choose to import the valid rows; the summary counts them.
    await page.getByRole('button', { name: 'Importeer de 3 goede regels' }).click();
    await page.getByRole('heading', { name: 'Klaar: de contacten zijn ingelezen' }).waitFor({
      timeout: 20_000,
    });
    expect(await page.locator('.count').allTextContents()).toEqual([
      '3nieuwe contacten',
      '0bijgewerkte contacten',
      '1overgeslagen regel',
    ]);

    // The list: search ignores case and accents.
    await page.getByRole('link', { name: 'Naar de contacten' }).click();
    const names = page.getByTestId('contacts-table').locator('tbody tr td:first-child');
    await expect.poll(() => names.count(), { timeout: 20_000 }).toBe(3);
    await page.getByLabel('Zoeken').fill('celik');
    await expect
      .poll(() => names.allTextContents(), { timeout: 20_000 })
      .toEqual(['Renée Çelik-Smit']);
    const row = await page
      .getByTestId('contacts-table')
      .locator('tbody tr')
      .first()
      .locator('td')
      .allTextContents();
    expect(row).toEqual([
      'Renée Çelik-Smit',
      'renee@voorbeeld.nl',
      'Nederlands',
      'Jan de Vries',
      'Bakkerij Çelik B.V.',
      'Actief',
    ]);
    await page.getByLabel('Zoeken').fill('');
    await expect.poll(() => names.count(), { timeout: 20_000 }).toBe(3);
    await screenshot(page, `admin-contacts-${dialect}`);
    await page.getByLabel('Zoeken').fill('zoe');
    await expect
      .poll(() => names.allTextContents(), { timeout: 20_000 })
      .toEqual(["Zoë van 't Hof"]);
  }, 60_000);
});
