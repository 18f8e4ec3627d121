import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { pageAs, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { screenshot } from '../support/browser.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildContact } from '../support/factories.ts';
import { buildOrganisation, type Client } from '../support/harness.ts';
import { DESKTOP } from './first-day.helpers.ts';

/** The sidebar's links whose text runs out of the link (and over the sidebar's edge). */
const sidebarOverflow = (page: Page) =>
  page
    .locator('.sidenav a')
    .evaluateAll((links) =>
      links
        .filter((a) => a.scrollWidth > a.clientWidth + 1)
        .map((a) => `${(a.textContent ?? '').trim()}: ${a.scrollWidth} > ${a.clientWidth}`),
    );

/** The buttons that stick out of the card they sit in. */
const buttonsOutOfCards = (page: Page) =>
  page.locator('main .card .btn').evaluateAll((buttons) =>
    buttons.flatMap((b) => {
      const card = b.closest('.card');
      if (!card) return [];
      const over = b.getBoundingClientRect().right - card.getBoundingClientRect().right;
      return over > 0.5 ? [`${(b.textContent ?? '').trim()}: ${Math.round(over)} px`] : [];
    }),
  );

/**
 * On a laptop (1280 px) nothing sticks out of the column it belongs to: the page does not scroll
 * sideways there either, so the 390 px walk (admin-overflow) does not see text that runs over a
 * sidebar's or a card's edge. Dutch compounds are the long words.
 */
describeInBrowserOnce('admin app at 1280 px: nothing runs over its column', (dialect) => {
  let admin: AdminApp;
  let owner: Client;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    owner = await buildOrganisation(admin, 'Garage De Vries');
  });
  afterAll(async () => admin.close());
  // A test switches to English, which the owner's account keeps: each starts in Dutch again.
  beforeEach(async () => {
    await owner.request({ method: 'PATCH', url: '/api/v1/auth/me', payload: { locale: 'nl' } });
  });

  it('keeps every sidebar link inside the sidebar, in Dutch and English', async () => {
    const page = await pageAs(admin, owner);
    await page.setViewportSize(DESKTOP);
    await page.goto('/admin/');
    await page.getByRole('link', { name: 'Ambassadeursprogramma', exact: true }).waitFor();
    expect(await sidebarOverflow(page)).toEqual([]);
    await screenshot(page, `admin-sidebar-${dialect}-nl`);
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('link', { name: 'Ambassador programme', exact: true }).waitFor();
    expect(await sidebarOverflow(page)).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('keeps the contact actions inside their card, in Dutch and English', async () => {
    const contact = await buildContact(admin.db.kysely, owner.organisationId, {
      name: 'Henk de Groot',
    });
    const page = await pageAs(admin, owner);
    await page.setViewportSize(DESKTOP);
    await page.goto(`/admin/contacts/${contact.id}`);
    await page.getByRole('button', { name: 'Gegevens downloaden (JSON)', exact: true }).waitFor();
    expect(await buttonsOutOfCards(page)).toEqual([]);
    await screenshot(page, `admin-contact-actions-${dialect}-nl`);
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('button', { name: 'Download data (JSON)', exact: true }).waitFor();
    expect(await buttonsOutOfCards(page)).toEqual([]);
    await page.context().close();
  }, 60_000);
});
