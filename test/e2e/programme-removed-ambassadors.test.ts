import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { enrolPromoter, referFriend, setUpProgramme } from '../support/ambassadors.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { login, type TestApp } from '../support/harness.ts';
import { DESKTOP, PHONE, expectFits } from './first-day.helpers.ts';

const PASSWORD = 'correct horse battery';
const OWNER = 'olga@garage-som.nl';
const MOBILE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/**
 * The programme in figures adds up on screen, at a laptop's width and a phone's: the sign-ups of
 * an ambassador removed since stay in the tile and sit on a row "Verwijderde ambassadeurs" of
 * their own, and the friend page's sign-up rate is shown with the span it covers.
 */
describeInBrowserOnce('admin app in Chromium: the programme’s figures add up', (dialect) => {
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
          organisationName: 'Garage Som',
          locale: 'nl',
          name: 'Olga Som',
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
    const jan = await enrolPromoter(t, ref, {
      name: 'Jan de Vries',
      email: `jan-${dialect}@som.nl`,
    });
    const els = await enrolPromoter(t, ref, { name: 'Els Jansen', email: `els-${dialect}@som.nl` });
    for (let i = 0; i < 4; i++) {
      await app.inject({ url: jan.link, headers: { 'user-agent': MOBILE_UA } });
    }
    await referFriend(t, jan, { name: 'Karin', email: `karin-${dialect}@example.nl` });
    await referFriend(t, els, { name: 'Ruud', email: `ruud-${dialect}@example.nl` });
    await referFriend(t, els, { name: 'Mies', email: `mies-${dialect}@example.nl` });
    const removed = await owner.request({
      method: 'POST',
      url: `/api/v1/ambassadors/${els.ambassadorId}/status`,
      payload: { action: 'remove' },
    });
    expect(removed.statusCode, removed.body).toBe(200);
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

  it('carries a removed ambassador’s sign-ups on a row of their own, on a phone too', async () => {
    const page = await dashboard();
    const tiles = (await page.getByTestId('programme-tiles').textContent()) ?? '';
    expect(tiles).toContain('Aanmeldingen3');
    // 1 sign-up through Jan's page per 4 visits to it, both since he joined.
    expect(tiles).toContain('Bezoek vriendenpagina → aanmelding (sinds aanmelding)25,0%');
    const rows = page.getByTestId('per-ambassador').locator('tbody tr');
    const leads = (await rows.locator('td:nth-child(3)').allTextContents()).map(Number);
    expect(leads.reduce((n, x) => n + x, 0)).toBe(3);
    const removed = page.getByTestId('removed-ambassadors');
    expect(await removed.locator('td').first().textContent()).toBe('Verwijderde ambassadeurs (1)');
    expect(await removed.locator('td:nth-child(3)').textContent()).toBe('2');
    expect(await page.locator('main').textContent()).toContain('Ze tellen mee in de totalen');
    for (const [size, label] of [
      [PHONE, '390'],
      [DESKTOP, '1280'],
    ] as const) {
      await page.setViewportSize(size);
      await expectFits(page, `at ${label} px`);
      await screenshot(page, `programme-removed-${dialect}-${label}`);
    }
    await page.context().close();
  }, 120_000);
});
