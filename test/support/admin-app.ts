import type { Browser, Page } from 'playwright-core';
import type { Dialect } from '../../src/db/database.ts';
import { launchBrowser, newPage } from './browser.ts';
import { startTestApp, TEST_PASSWORD, type Client, type TestApp } from './harness.ts';

/**
 * The admin app in real Chromium: the harness's app (`startTestApp`) serving the admin app on a
 * port, on the real clock, with one browser. Seed it with the same factories as the API tests
 * (`buildOrganisation(admin, …)`, `buildMember`, `buildResponse(admin.db.kysely, …)`).
 */
export interface AdminApp extends TestApp {
  /** Where the app listens, `http://127.0.0.1:<port>`; pages open `/admin/` below it. */
  baseURL: string;
  browser: Browser;
}

/** A fresh database of the dialect, the app serving the admin app on a port, and a browser. */
export async function startAdminApp(
  dialect: Dialect,
  env: Record<string, string> = {},
): Promise<AdminApp> {
  const t = await startTestApp(dialect, env, { serveAdmin: true });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  const baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await launchBrowser();
  return {
    ...t,
    baseURL,
    browser,
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
}

/** A fresh page (own cookies, laptop size) logged in through the login form, as a person does. */
export async function logIn(
  admin: AdminApp,
  email: string,
  password: string = TEST_PASSWORD,
): Promise<Page> {
  const page = await newPage(admin.browser, admin.baseURL);
  await page.goto('/admin/');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('navigation').waitFor();
  return page;
}

/** A fresh page carrying a client's session, for a test about what comes after logging in. */
export async function pageAs(admin: AdminApp, client: Client): Promise<Page> {
  const page = await newPage(admin.browser, admin.baseURL);
  await page
    .context()
    .addCookies([
      { name: 'loyaal_session', value: client.cookie.split('=')[1] ?? '', url: admin.baseURL },
    ]);
  return page;
}
