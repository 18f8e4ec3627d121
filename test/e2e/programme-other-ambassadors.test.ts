import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import {
  buildAmbassadors,
  enrolPromoter,
  referFriend,
  setUpProgramme,
} from '../support/ambassadors.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { login, type TestApp } from '../support/harness.ts';
import { DESKTOP, PHONE, expectFits } from './first-day.helpers.ts';

const PASSWORD = 'correct horse battery';
const OWNER = 'olga@garage-groot.nl';

/**
 * A large programme's table still adds up on screen, at a laptop's width and a phone's: it names
 * the first hundred ambassadors and sums the others on a row "Overige ambassadeurs" of their own,
 * so the visits column adds up to the tile.
 */
describeInBrowserOnce('admin app in Chromium: a large programme’s table adds up', (dialect) => {
  let db: Db;
  let browser: Browser;
  let baseURL: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const clock = { now: Date.now() };
    const config = loadConfig({ LOGIN_RATE_LIMIT: '1000', WORKER: 'off', SESSION_DAYS: '90' });
    const deps = { db, config, now: () => clock.now, platform };
    const { organisationId } = await db.kysely.transaction().execute((trx) =>
      createOrganisationWithOwner(
        trx,
        {
          organisationName: 'Garage Groot',
          locale: 'nl',
          name: 'Olga Groot',
          email: OWNER,
          password: PASSWORD,
        },
        clock.now,
      ),
    );
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const t: TestApp = { app, db, deps, clock, close: async () => {} };
    const owner = await login(t, OWNER, PASSWORD);
    await setUpProgramme(owner);
    const ref = { organisationId, surveyId: (await buildSurvey(db.kysely, organisationId)).id };
    // 101 ambassadors whose pages were visited 1 to 101 times (5,151 visits), and Jan, who
    // brought a friend: 102 with a figure, so the two visited least share a row (1 + 2 visits).
    await buildAmbassadors(db.kysely, organisationId, 101, (i) => i + 1, clock.now);
    const jan = await enrolPromoter(t, ref, { name: 'Jan de Vries', email: `jan-${dialect}@g.nl` });
    await referFriend(t, jan, { name: 'Karin', email: `karin-${dialect}@example.nl` });
    browser = await launchBrowser();
    close = async () => {
      await browser.close();
      await app.close();
      await db.close();
    };
  }, 120_000);
  afterAll(async () => close());

  async function dashboard(): Promise<Page> {
    const page = await newPage(browser, baseURL);
    page.setDefaultTimeout(30_000);
    await page.goto('/admin/');
    await page.getByLabel('E-mailadres').fill(OWNER);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
    await page.goto('/admin/referral-programme/dashboard');
    await page.getByTestId('programme-tiles').waitFor();
    return page;
  }

  it('names the first hundred ambassadors and sums the others on a row, on a phone too', async () => {
    const page = await dashboard();
    const tiles = (await page.getByTestId('programme-tiles').textContent()) ?? '';
    expect(tiles).toContain('Bezoeken vriendenpagina (sinds aanmelding)5.151');
    expect(tiles).toContain('Aanmeldingen1');
    const table = page.getByTestId('per-ambassador');
    expect(await table.locator('tbody tr a').count()).toBe(100);
    const others = page.getByTestId('other-ambassadors');
    expect(await others.locator('td').first().textContent()).toBe('Overige ambassadeurs (2)');
    expect(await others.locator('td:nth-child(2)').textContent()).toBe('3');
    // Every row's visits, the named ones and the others', add up to the tile.
    const visits = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(visits.reduce((n, x) => n + Number(x.replace(/\./g, '')), 0)).toBe(5151);
    const leads = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(leads.reduce((n, x) => n + Number(x), 0)).toBe(1);
    expect(await page.locator('main').textContent()).toContain(
      'De tabel noemt de 100 ambassadeurs met de meeste nieuwe klanten en aanmeldingen',
    );
    for (const [size, label] of [
      [PHONE, '390'],
      [DESKTOP, '1280'],
    ] as const) {
      await page.setViewportSize(size);
      await expectFits(page, `at ${label} px`);
      await screenshot(page, `programme-others-${dialect}-${label}`);
    }
    await page.context().close();
  }, 120_000);
});
