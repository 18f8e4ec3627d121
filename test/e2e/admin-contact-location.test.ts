import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { logIn, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildOrganisation, type Client } from '../support/harness.ts';
import { checkOnPhone, DESKTOP } from './first-day.helpers.ts';

interface ContactJson {
  id: string;
  locationId: string | null;
}

/**
 * A contact's own page names its location (issue 10: locations are a dimension of contacts, set
 * by import and by the API, and now by hand): the owner picks one of the organisation's
 * locations, saves, and the contact holds it; an archived location the contact already had stays
 * shown (as archived) but is not offered to others. On a laptop and on a 390 px phone.
 */
describeInBrowserOnce('the contact page sets the contact’s location', (dialect) => {
  let admin: AdminApp;
  let owner: Client;
  const ids: Record<string, string> = {};

  const post = async (url: string, payload: object) => {
    const res = await owner.request({ method: 'POST', url, payload });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json<{ id: string }>().id;
  };

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    owner = await buildOrganisation(admin, 'Garage De Vries');
    ids.leeuwarden = await post('/api/v1/locations', { name: 'Leeuwarden' });
    ids.sneek = await post('/api/v1/locations', {
      name: 'Sneek-Noord en Omstreken Bedrijventerrein De Hemmen',
    });
    ids.closed = await post('/api/v1/locations', { name: 'Heerenveen' });
    ids.anna = await post('/api/v1/contacts', {
      name: 'Anna de Jong',
      email: 'anna@example.nl',
      locationId: ids.closed,
    });
    ids.bert = await post('/api/v1/contacts', { name: 'Bert Visser', email: 'bert@example.nl' });
    const archived = await owner.request({
      method: 'PATCH',
      url: `/api/v1/locations/${ids.closed}`,
      payload: { archived: true },
    });
    expect(archived.statusCode, archived.body).toBe(200);
  });
  afterAll(async () => admin.close());

  const contact = async (id: string) =>
    (await owner.request({ url: `/api/v1/contacts/${id}` })).json<ContactJson>();

  const optionLabels = (page: Page) =>
    page.getByLabel('Vestiging', { exact: true }).locator('option').allTextContents();

  it('picks a location for a contact, saves it, and clears it again', async () => {
    const page = await logIn(admin, owner.email);
    await page.goto(`/admin/contacts/${ids.bert}`);
    const select = page.getByLabel('Vestiging', { exact: true });
    await expect
      .poll(() => optionLabels(page), { timeout: 30_000 })
      .toEqual(['Geen', 'Leeuwarden', 'Sneek-Noord en Omstreken Bedrijventerrein De Hemmen']);
    await checkOnPhone(page, `admin-contact-location-${dialect}`);
    await page.setViewportSize(DESKTOP);

    await select.selectOption({ label: 'Sneek-Noord en Omstreken Bedrijventerrein De Hemmen' });
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.url().includes(`/contacts/${ids.bert}`),
    );
    await page.getByRole('button', { name: 'Opslaan' }).click();
    expect((await saved).status()).toBe(200);
    expect((await contact(ids.bert ?? '')).locationId).toBe(ids.sneek);

    // Read back after a reload: the page shows what is stored.
    await page.reload();
    await expect.poll(async () => select.inputValue(), { timeout: 30_000 }).toBe(ids.sneek);

    await select.selectOption({ label: 'Geen' });
    const cleared = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.url().includes(`/contacts/${ids.bert}`),
    );
    await page.getByRole('button', { name: 'Opslaan' }).click();
    expect((await cleared).status()).toBe(200);
    expect((await contact(ids.bert ?? '')).locationId).toBeNull();
  });

  it('keeps an archived location the contact already has, shown as archived', async () => {
    const page = await logIn(admin, owner.email);
    await page.goto(`/admin/contacts/${ids.anna}`);
    const select = page.getByLabel('Vestiging', { exact: true });
    await expect
      .poll(() => optionLabels(page), { timeout: 30_000 })
      .toContain('Heerenveen (gearchiveerd)');
    await expect.poll(async () => select.inputValue(), { timeout: 30_000 }).toBe(ids.closed);
    await checkOnPhone(page, `admin-contact-location-archived-${dialect}`);
    await page.setViewportSize(DESKTOP);

    // Saving another field keeps the archived location (the API accepts the one it already has).
    await page.getByLabel('Telefoon').fill('06-12345678');
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.url().includes(`/contacts/${ids.anna}`),
    );
    await page.getByRole('button', { name: 'Opslaan' }).click();
    expect((await saved).status()).toBe(200);
    expect((await contact(ids.anna ?? '')).locationId).toBe(ids.closed);
  });
});
