import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';
import { buildResponse, buildSurvey } from '../support/factories.ts';
import { DESKTOP, PHONE, horizontalOverflow } from './first-day.helpers.ts';

const DAY = 86_400_000;
const OWNER = { email: 'eigenaar@garage-thema.nl', password: 'correct horse battery' };

/**
 * The themes screen (issue 10) in real Chromium: themes with their count, NPS with interval and
 * quotes, "niet vriendelijk" read as negative, a suggested new term from detractors, and the
 * owner adding a theme that is counted at once; on a laptop and a 390 px phone.
 */
describeEachDialect('admin app in Chromium: comment themes', (dialect) => {
  let db: Db;
  let browser: Browser;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const config = loadConfig({ LOGIN_RATE_LIMIT: '1000', WORKER: 'off' });
    const now = Date.now();
    const deps = { db, config, now: () => Date.now(), platform };
    const org = await db.kysely
      .transaction()
      .execute((trx) =>
        createOrganisationWithOwner(
          trx,
          { organisationName: 'Garage Thema', locale: 'nl', name: 'Tom Thema', ...OWNER },
          now,
        ),
      );
    const survey = await buildSurvey(db.kysely, org.organisationId);
    const ref = { organisationId: org.organisationId, surveyId: survey.id };
    const comments: Array<[string, number]> = [
      ['De monteur was erg vriendelijk', 10],
      ['Vriendelijk personeel en snel klaar', 9],
      ['Het personeel was niet vriendelijk', 3],
      ['Veel te duur', 4],
      ...new Array<[string, number]>(6).fill(['Parkeren was een drama', 2]),
      ...new Array<[string, number]>(8).fill(['Goed geholpen, prima', 10]),
    ];
    let i = 0;
    for (const [comment, score] of comments) {
      await buildResponse(db.kysely, ref, { score, comment, answered_at: now - (1 + i++) * DAY });
    }
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
    page = await newPage(browser, baseURL);
    page.setDefaultTimeout(30_000);
    close = async () => {
      await browser.close();
      await app.close();
      await db.close();
    };
  }, 120_000);
  afterAll(async () => close());

  it('lists themes with count, NPS and quotes, suggests a term and takes a new theme', async () => {
    await page.goto('/admin/');
    await page.getByLabel('E-mailadres').fill(OWNER.email);
    await page.getByLabel('Wachtwoord').fill(OWNER.password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Resultaten' }).click();
    await page.getByRole('link', { name: "Thema's" }).click();
    const staff = page.locator('[data-theme="staff"]');
    await staff.waitFor();
    expect(await staff.getByTestId('theme-count').textContent()).toBe('3 opmerkingen');
    expect(await staff.textContent()).toMatch(/NPS \+33 \(-?\d+ … \+\d+\)/);
    const quote = staff.locator('li', { hasText: 'niet vriendelijk' });
    expect(await quote.getAttribute('data-sentiment')).toBe('negative');
    expect(await quote.textContent()).toContain('negatief');
    expect(
      await page.locator('[data-theme="price"]').getByTestId('theme-count').textContent(),
    ).toBe('1 opmerking');
    expect(await page.getByTestId('theme-suggestions').textContent()).toMatch(/parkeren|drama/);

    // The owner adds a theme "Parkeren"; the list counts it at once.
    const editor = page.getByTestId('theme-editor');
    await editor.locator('summary').click();
    await editor.getByRole('button', { name: 'Thema toevoegen' }).click();
    const last = editor.locator('fieldset').last();
    await last.getByLabel('Thema', { exact: true }).fill('Parkeren');
    await last.getByLabel(/^Woorden/).fill('parkeren, parkeerplaats');
    await editor.getByRole('button', { name: "Thema's opslaan" }).click();
    const parking = page.locator('[data-theme^="nieuw-thema"]');
    await expect
      .poll(async () => (await parking.count()) > 0 && (await parking.textContent()), {
        timeout: 30_000,
      })
      .toMatch(/^Parkeren6 opmerkingen/);

    for (const [size, label] of [
      [PHONE, '390'],
      [DESKTOP, '1280'],
    ] as const) {
      await page.setViewportSize(size);
      await page.waitForTimeout(300);
      await screenshot(page, `insight-themes-${dialect}-${label}`);
      const overflow = await horizontalOverflow(page);
      expect(overflow.px, `at ${label} px: ${overflow.culprits.join(', ')}`).toBe(0);
    }
  }, 120_000);
});
