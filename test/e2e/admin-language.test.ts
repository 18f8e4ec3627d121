import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';
import { buildApp } from '../../src/server/app.ts';
import { launchBrowser, newPage } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import { platform } from '../../src/server/start.ts';

const OWNER = { email: 'owner@garage.example', password: 'correct horse battery' };

describeInBrowserOnce('admin app language', (dialect) => {
  let db: Db;
  let browser: Browser;
  let baseURL: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const deps = {
      db,
      config: loadConfig({ LOGIN_RATE_LIMIT: '1000', WORKER: 'off' }),
      now: () => Date.now(),
      platform,
    };
    await db.kysely
      .transaction()
      .execute((trx) =>
        createOrganisationWithOwner(
          trx,
          { organisationName: 'Garage De Vries', locale: 'nl', name: 'Piet', ...OWNER },
          Date.now(),
        ),
      );
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchBrowser();
    close = async () => {
      await browser.close();
      await app.close();
      await db.close();
    };
  });
  afterAll(async () => close());

  it('keeps English when it was chosen on the login screen, and remembers it for the user', async () => {
    const page = await newPage(browser, baseURL);
    await page.goto('/admin/');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByLabel('Email address').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Contacts' }).waitFor();
    await expect
      .poll(
        async () =>
          (await db.kysely.selectFrom('users').select('locale').executeTakeFirstOrThrow()).locale,
        { timeout: 20_000 },
      )
      .toBe('en');
    await page.context().close();
  }, 60_000);
});
