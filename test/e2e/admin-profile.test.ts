import { afterAll, beforeAll, expect, it } from 'vitest';
import { logIn, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildEmployee } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  digestByRoleDefault,
  type Client,
} from '../support/harness.ts';
import { checkOnPhone, DESKTOP } from './first-day.helpers.ts';

/**
 * "Mijn instellingen" (issue 10): a member opens their own settings from their name in the top
 * bar and turns the weekly digest on or off; the switch says what their role gets by default.
 * An account manager turns it on, an owner turns it off; in Dutch and English, at 1280 and 390 px.
 */
describeInBrowserOnce('my settings: the weekly digest switch in the browser', (dialect) => {
  let admin: AdminApp;
  let owner: Client;
  let accountManager: Client;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    owner = await buildOrganisation(admin, 'Garage De Vries');
    const sanne = await buildEmployee(admin.db.kysely, owner.organisationId, {
      name: 'Sanne de Boer',
    });
    accountManager = await buildMember(admin, owner.organisationId, 'account_manager', sanne.id);
    await digestByRoleDefault(admin, owner.organisationId);
  });
  afterAll(async () => admin.close());

  const stored = async (who: Client) =>
    (await who.request({ url: '/api/v1/me/weekly-digest' })).json<{ weeklyDigest: boolean }>()
      .weeklyDigest;

  it('an account manager turns the digest on from their own settings', async () => {
    const page = await logIn(admin, accountManager.email);
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
    const page = await logIn(admin, owner.email);
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
