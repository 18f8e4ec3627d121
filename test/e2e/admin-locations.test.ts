import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { logIn, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildOrganisation, type Client } from '../support/harness.ts';
import { checkOnPhone, DESKTOP } from './first-day.helpers.ts';

/**
 * The locations screen as an owner uses it (issue 10): add two locations, rename one, archive and
 * restore it, and open a location's poster, whose QR code leads to the survey's anonymous link
 * for that location. On a laptop and on a 390 px phone.
 */
describeInBrowserOnce('the locations screen in the browser', (dialect) => {
  let admin: AdminApp;
  let owner: Client;
  let surveyId: string;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    owner = await buildOrganisation(admin, 'Garage De Vries');
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'Na de werkplaats', status: 'active' },
    });
    surveyId = survey.json<{ id: string }>().id;
  });
  afterAll(async () => admin.close());

  async function clickAndAwait(page: Page, control: Locator, path: string): Promise<void> {
    const answered = page.waitForResponse(
      (r) => r.request().method() !== 'GET' && r.url().includes(path),
      { timeout: 30_000 },
    );
    await control.click();
    await answered;
  }
  const names = (page: Page) =>
    page.getByTestId('location').locator('.location-name strong').allTextContents();

  it('adds, renames, archives and restores locations, and opens a poster per location', async () => {
    const page = await logIn(admin, owner.email);
    await page.getByRole('navigation').getByRole('link', { name: 'Vestigingen' }).click();
    await page.getByRole('heading', { name: 'Nog geen vestigingen' }).waitFor();

    for (const name of ['Leeuwarden', 'Sneek-Noord en Omstreken Bedrijventerrein De Hemmen']) {
      await page.getByLabel('Naam van de vestiging').fill(name);
      await clickAndAwait(page, page.getByRole('button', { name: 'Toevoegen' }), '/locations');
    }
    await expect
      .poll(() => names(page), { timeout: 30_000 })
      .toEqual(['Leeuwarden', 'Sneek-Noord en Omstreken Bedrijventerrein De Hemmen']);
    await checkOnPhone(page, `admin-locations-${dialect}`);
    await page.setViewportSize(DESKTOP);

    // A name that is taken (case and accents ignored) is refused beside the field.
    await page.getByLabel('Naam van de vestiging').fill('LEEUWARDEN');
    await clickAndAwait(page, page.getByRole('button', { name: 'Toevoegen' }), '/locations');
    await expect
      .poll(() => page.locator('.field-error').first().textContent(), { timeout: 30_000 })
      .toContain('al in gebruik');

    await page.getByRole('button', { name: 'Naam wijzigen van Leeuwarden' }).click();
    await page.getByLabel('Nieuwe naam voor Leeuwarden').fill('Leeuwarden-Centrum');
    await clickAndAwait(page, page.getByRole('button', { name: 'Opslaan' }), '/locations/');
    await expect.poll(() => names(page), { timeout: 30_000 }).toContain('Leeuwarden-Centrum');

    await clickAndAwait(
      page,
      page.getByRole('button', { name: 'Leeuwarden-Centrum archiveren' }),
      '/locations/',
    );
    await expect
      .poll(() => names(page), { timeout: 30_000 })
      .toEqual(['Sneek-Noord en Omstreken Bedrijventerrein De Hemmen']);
    await page.getByLabel('Toon ook gearchiveerde vestigingen').check();
    await expect.poll(() => names(page), { timeout: 30_000 }).toContain('Leeuwarden-Centrum');
    expect(await page.getByTestId('location').first().textContent()).toContain('Gearchiveerd');
    await checkOnPhone(page, `admin-locations-archived-${dialect}`);
    await page.setViewportSize(DESKTOP);
    await clickAndAwait(
      page,
      page.getByRole('button', { name: 'Leeuwarden-Centrum terugzetten' }),
      '/locations/',
    );
    // The restored location itself, drawn all along: whichever comes first, it loses its label.
    const restored = page.getByTestId('location').filter({ hasText: 'Leeuwarden-Centrum' });
    await expect
      .poll(() => restored.textContent(), { timeout: 30_000 })
      .not.toContain('Gearchiveerd');

    const stored = (await owner.request({ url: '/api/v1/locations?archived=true' })).json<{
      items: { id: string; name: string; archived: boolean }[];
    }>().items;
    expect(stored.map((l) => [l.name, l.archived])).toEqual([
      ['Leeuwarden-Centrum', false],
      ['Sneek-Noord en Omstreken Bedrijventerrein De Hemmen', false],
    ]);
    const centrum = stored[0]?.id ?? '';

    // The poster of a location is the survey's poster with that location's link.
    const poster = page.getByTestId('location-poster').first();
    expect(await poster.getAttribute('href')).toBe(
      `/api/v1/surveys/${surveyId}/poster?locationId=${centrum}`,
    );
    const popup = page.waitForEvent('popup');
    await poster.click();
    const posterPage = await popup;
    await posterPage.waitForLoadState();
    expect(await posterPage.content()).toContain(`?v=${centrum}`);
    const qr = page.getByTestId('location-qr').first();
    const svg = await page.request.get(`${admin.baseURL}${(await qr.getAttribute('href')) ?? ''}`);
    expect(svg.status()).toBe(200);
    expect(svg.headers()['content-type']).toContain('image/svg+xml');
  });
});
