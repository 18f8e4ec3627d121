import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { newPage } from '../support/browser.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildOrganisation, TEST_PASSWORD, type Client } from '../support/harness.ts';

describeInBrowserOnce('admin app language', (dialect) => {
  let admin: AdminApp;
  let owner: Client;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    owner = await buildOrganisation(admin, 'Garage De Vries');
  });
  afterAll(async () => admin.close());

  it('keeps English when it was chosen on the login screen, and remembers it for the user', async () => {
    const page = await newPage(admin.browser, admin.baseURL);
    await page.goto('/admin/');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByLabel('Email address').fill(owner.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Contacts' }).waitFor();
    await expect
      .poll(
        async () =>
          (
            await admin.db.kysely
              .selectFrom('users')
              .select('locale')
              .where('email', '=', owner.email)
              .executeTakeFirstOrThrow()
          ).locale,
        { timeout: 20_000 },
      )
      .toBe('en');
    await page.context().close();
  }, 60_000);
});
