import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db, Dialect } from '../../src/db/database.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker, type Worker } from '../../src/platform/jobs/worker.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { freshDatabase } from '../support/databases.ts';

/**
 * The owner's first day, step by step, as a person does it in the admin app. Each step is a helper
 * so the walk in first-day.test.ts reads like the day itself and a later step (the import of
 * unknown account managers, the rejected-rows download) slots in between without rewriting it.
 */

export const OWNER = {
  organisation: 'Garage De Vries',
  name: 'Piet de Vries',
  email: 'piet@garagedevries.nl',
  password: 'correct horse battery',
};

/** A phone (iPhone 12–15) and a laptop: every new screen is checked at both. */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 860 };

export interface Installation {
  db: Db;
  baseURL: string;
  browser: Browser;
  page: Page;
  worker: Worker;
  close(): Promise<void>;
}

/** A fresh Loyaal on the dialect, serving the admin app, with its worker and a browser. */
export async function startInstallation(
  dialect: Dialect,
  env: Record<string, string> = {},
): Promise<Installation> {
  const db = await freshDatabase(dialect);
  const dataDir = mkdtempSync(join(tmpdir(), 'loyaal-first-day-'));
  const config = loadConfig({
    LOGIN_RATE_LIMIT: '1000',
    WORKER: 'off',
    DATA_DIR: dataDir,
    ...env,
  });
  const deps = { db, config, now: () => Date.now(), platform };
  const app = await buildApp(deps, { serveAdmin: true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const worker = startWorker(deps, { concurrency: 2, pollMs: 100 });
  const browser = await launchBrowser();
  const page = await newPage(browser, baseURL);
  return {
    db,
    baseURL,
    browser,
    page,
    worker,
    async close() {
      await browser.close();
      await worker.stop();
      closeMailTransports();
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** First visit: the organisation and its owner; the owner lands on the home checklist. */
export async function setUp(page: Page): Promise<void> {
  await page.goto('/admin/');
  await page.getByLabel('Naam van uw bedrijf').fill(OWNER.organisation);
  await page.getByLabel('Uw naam').fill(OWNER.name);
  await page.getByLabel('E-mailadres').fill(OWNER.email);
  await page.getByLabel('Wachtwoord').fill(OWNER.password);
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await page.getByTestId('checklist').waitFor();
}

/** Opens the home (the checklist, or the results once there are answers) by the menu. */
export async function goHome(page: Page): Promise<void> {
  const already = /^\/admin\/?$/.test(new URL(page.url()).pathname);
  await page.getByRole('navigation').getByRole('link', { name: 'Start', exact: true }).click();
  // Already there: what happened elsewhere (an answer) shows after a reload, as for a person.
  if (already) await page.reload();
}

/** The checklist's steps that are ticked, as the page shows them. */
export async function doneSteps(page: Page): Promise<string[]> {
  const checklist = page.getByTestId('checklist');
  await checklist.waitFor();
  return checklist
    .locator('li[data-done="true"]')
    .evaluateAll((items) => items.map((li) => li.getAttribute('data-step') ?? ''));
}

/** Customers by the import wizard, from the checklist's first step. */
export async function importCustomers(page: Page, csv: string): Promise<void> {
  await page.getByRole('link', { name: 'Klanten importeren' }).click();
  await page.setInputFiles('#import-file', {
    name: 'klanten.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv, 'utf8'),
  });
  await page.getByRole('heading', { name: 'Welke kolom is wat?' }).waitFor();
  await page.getByRole('button', { name: 'Controleren' }).click();
  await page.getByRole('heading', { name: 'Uitkomst van de controle' }).waitFor({
    timeout: 20_000,
  });
  await page.getByRole('button', { name: /^Importeer / }).click();
  await page.getByRole('heading', { name: 'Klaar: de contacten zijn ingelezen' }).waitFor({
    timeout: 20_000,
  });
}

/**
 * Day one's import: the file names account managers Loyaal does not know yet. The check lists
 * each name once; the owner keeps the suggested "create as employee" for every name and applies
 * it; the file is checked again. Returns the rejected-rows file the owner downloads, as bytes.
 */
export async function importCustomersCreatingOwners(
  page: Page,
  file: { name: string; bytes: Buffer },
  owners: readonly { name: string; rows: string }[],
): Promise<{ rejected: { filename: string; bytes: Buffer } }> {
  await page.getByRole('link', { name: 'Klanten importeren' }).click();
  await page.setInputFiles('#import-file', {
    name: file.name,
    mimeType: 'text/csv',
    buffer: file.bytes,
  });
  await page.getByRole('heading', { name: 'Welke kolom is wat?' }).waitFor();
  await page.getByRole('button', { name: 'Controleren' }).click();
  const panel = page.getByTestId('unknown-owners');
  await panel.waitFor({ timeout: 20_000 });
  const listed = await panel
    .getByTestId('unknown-owner')
    .evaluateAll((items) =>
      items.map((li) =>
        (li.querySelector('legend')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      ),
    );
  expect(listed).toEqual(owners.map((o) => `${o.name} ${o.rows}`));
  for (const o of owners) {
    const choice = page.getByRole('radiogroup', { name: `Wat doen we met ${o.name}?` });
    expect(await choice.getByLabel('Aanmaken als medewerker').isChecked()).toBe(true);
  }
  await page.getByRole('button', { name: 'Toepassen en opnieuw controleren' }).click();
  await panel.waitFor({ state: 'detached', timeout: 20_000 });
  await page.getByTestId('owner-decisions').waitFor({ timeout: 20_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('rejected-download').click(),
  ]);
  const path = await download.path();
  const bytes = readFileSync(path);
  return { rejected: { filename: download.suggestedFilename(), bytes } };
}

/** The choice after the check: import the good rows, and wait until they are in. */
export async function importTheGoodRows(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: label }).click();
  await page.getByRole('heading', { name: 'Klaar: de contacten zijn ingelezen' }).waitFor({
    timeout: 20_000,
  });
}

/** The mail settings: the organisation's own server, saved and tested in one click. */
export async function setUpMailServer(
  page: Page,
  server: { host: string; port: number; username: string; password: string; from: string },
): Promise<void> {
  await page.getByRole('link', { name: 'E-mail instellen' }).click();
  await page.getByRole('heading', { name: 'E-mail', exact: true }).waitFor();
  await page.getByLabel('Mijn eigen mailserver').check();
  await page.getByLabel('Server', { exact: true }).fill(server.host);
  await page.getByLabel('Beveiliging').selectOption('none');
  await page.getByLabel('Poort').fill(String(server.port));
  await page.getByLabel('Gebruikersnaam').fill(server.username);
  await page.getByLabel('Wachtwoord').fill(server.password);
  await page.getByLabel('Afzenderadres').fill(server.from);
  await page.getByRole('button', { name: 'Opslaan en een testmail naar mij sturen' }).click();
  await page.getByTestId('mail-test-result').waitFor({ timeout: 20_000 });
}

/** The logo by upload in the settings (a real PNG); the settings show it back. */
export async function uploadLogo(page: Page, bytes: Buffer): Promise<void> {
  await page
    .getByRole('navigation')
    .getByRole('link', { name: 'Instellingen', exact: true })
    .click();
  await page.getByTestId('logo-file').setInputFiles({
    name: 'logo.png',
    mimeType: 'image/png',
    buffer: bytes,
  });
  await page.locator('img.logo-preview').waitFor();
}

/** "Nieuwe enquête" from the checklist; the editor opens on the new draft. */
export async function newSurvey(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Nieuwe enquête' }).click();
  await page.getByRole('heading', { name: 'Klanttevredenheid (NPS)' }).waitFor();
  await page.getByTestId('preview-frame').waitFor();
}

/** The text inside the preview frame, once it shows `expected`. */
export async function previewText(page: Page, expected: string): Promise<string> {
  const frame = page.frameLocator('[data-testid="preview-frame"]');
  await expect
    .poll(() => frame.locator('body').textContent(), { timeout: 20_000 })
    .toContain(expected);
  return (await frame.locator('body').textContent()) ?? '';
}

/**
 * Whether the page fits the viewport: nothing wider than the screen, so nobody scrolls sideways.
 * Returns how far it overflows and the elements that stick out, to name them in a failure.
 */
export async function horizontalOverflow(page: Page): Promise<{ px: number; culprits: string[] }> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const width = doc.clientWidth;
    const culprits: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1 && culprits.length < 5) {
        const cls =
          typeof el.className === 'string' && el.className
            ? `.${el.className.split(' ').join('.')}`
            : '';
        culprits.push(`${el.tagName.toLowerCase()}${cls} (${Math.round(r.right)}px)`);
      }
    }
    return { px: Math.max(0, doc.scrollWidth - width), culprits };
  });
}

/**
 * Waits until the page fits the viewport, failing with the elements that stick out. Some layout
 * follows a resize only a moment later (the survey preview scales its frame from a ResizeObserver,
 * then React draws it again), so one reading after a fixed pause can catch the layout before it.
 */
export async function expectFits(page: Page, what: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const overflow = await horizontalOverflow(page);
        return overflow.px === 0 ? 'fits' : `${overflow.px}px: ${overflow.culprits.join(', ')}`;
      },
      { timeout: 30_000, message: `${what} scrolls sideways` },
    )
    .toBe('fits');
}

/** Looks at the current screen on a phone and a laptop: a screenshot each, and no sideways scroll. */
export async function checkOnPhone(page: Page, name: string): Promise<void> {
  for (const [size, label] of [
    [PHONE, '390'],
    [DESKTOP, '1280'],
  ] as const) {
    await page.setViewportSize(size);
    await expectFits(page, `${name} at ${label} px`);
    await screenshot(page, `${name}-${label}`);
  }
}
