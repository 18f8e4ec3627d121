import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { launchBrowser, newPage } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import { buildEmployee } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  digestByRoleDefault,
  TEST_PASSWORD,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { checkOnPhone, DESKTOP } from './first-day.helpers.ts';

/**
 * "Mijn instellingen" (issue 10): a member opens their own settings from their name in the top
 * bar and turns the weekly digest on or off; the switch says what their role gets by default.
 * An account manager turns it on, an owner turns it off; in Dutch and English, at 1280 and 390 px.
 */
describeInBrowserOnce('my settings: the weekly digest switch in the browser', (dialect) => {
  let db: Db;
  let browser: Browser;
  let baseURL: string;
  let owner: Client;
  let accountManager: Client;
  let close: () => Promise<void>;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const config = loadConfig({ LOGIN_RATE_LIMIT: '1000', WORKER: 'off' });
    const deps: Deps = { db, config, now: () => Date.now(), platform };
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
    const t: TestApp = { app, db, deps, clock: { now: Date.now() }, close: async () => {} };
    owner = await buildOrganisation(t, 'Garage De Vries');
    const sanne = await buildEmployee(db.kysely, owner.organisationId, { name: 'Sanne de Boer' });
    accountManager = await buildMember(t, owner.organisationId, 'account_manager', sanne.id);
    await digestByRoleDefault(t, owner.organisationId);
    close = async () => {
      await browser.close();
      await app.close();
      await db.close();
    };
  });
  afterAll(async () => close());

  async function logIn(who: Client): Promise<Page> {
    const page = await newPage(browser, baseURL);
    await page.goto('/admin/');
    await page.getByLabel('E-mailadres').fill(who.email);
    await page.getByLabel('Wachtwoord').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Contacten' }).waitFor();
    return page;
  }
  const stored = async (who: Client) =>
    (await who.request({ url: '/api/v1/me/weekly-digest' })).json<{ weeklyDigest: boolean }>()
      .weeklyDigest;

  it('an account manager turns the digest on from their own settings', async () => {
    const page = await logIn(accountManager);
    await page.getByRole('navigation').getByRole('link', { name: 'Mijn instellingen' }).click();
    await page.getByRole('heading', { name: 'Mijn instellingen' }).waitFor();
    const box = page.getByLabel('Stuur mij elke maandagochtend het weekoverzicht per e-mail');
    expect(await box.isChecked()).toBe(false);
    await page.getByText('Voor uw rol staat het standaard uit.', { exact: false }).waitFor();
    await checkOnPhone(page, `admin-profile-${dialect}`);
    await page.setViewportSize(DESKTOP);
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'PUT' && r.url().includes('/me/weekly-digest'),
    );
    await box.check();
    expect((await saved).status()).toBe(200);
    await page.getByText('Het weekoverzicht staat aan.').waitFor();
    expect(await stored(accountManager)).toBe(true);
  });

  it('an owner reads it in English and turns it off', async () => {
    const page = await logIn(owner);
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'My settings' }).click();
    await page.getByRole('heading', { name: 'My settings' }).waitFor();
    const box = page.getByLabel('Email me the weekly summary every Monday morning');
    expect(await box.isChecked()).toBe(true);
    await page.getByText('For your role it is on by default.', { exact: false }).waitFor();
    await checkOnPhone(page, `admin-profile-en-${dialect}`);
    await page.setViewportSize(DESKTOP);
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'PUT' && r.url().includes('/me/weekly-digest'),
    );
    await box.uncheck();
    expect((await saved).status()).toBe(200);
    await page.getByText('The weekly summary is off.').waitFor();
    expect(await stored(owner)).toBe(false);
  });
});
