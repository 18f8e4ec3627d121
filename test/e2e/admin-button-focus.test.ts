import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pageAs, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildOrganisation, type Client } from '../support/harness.ts';
import { holdNextSave } from './hold-save.helpers.ts';

/** What has the keyboard focus: the tag and text of `document.activeElement`. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()} ${el.textContent?.trim() ?? ''}` : 'none';
  });

/**
 * A keyboard user presses a button that saves: while the save is on its way the button is shut
 * (a second press sends nothing), and afterwards the focus is still on it, not thrown back to the
 * start of the page, so "Tab" goes on from where they were and the error is one step away.
 */
describeInBrowserOnce('buttons keep the keyboard focus through a save', (dialect) => {
  let admin: AdminApp;
  let owner: Client;

  beforeAll(async () => {
    admin = await startAdminApp(dialect);
    owner = await buildOrganisation(admin, 'Installatiebedrijf Jansen');
  });
  afterAll(async () => admin.close());

  it('keeps the focus on a save button that was refused, and sends one request per press', async () => {
    const page = await pageAs(admin, owner);
    await page.goto('/admin/accounts/new');
    const create = page.getByRole('button', { name: 'Bedrijf toevoegen', exact: true });
    await create.waitFor();
    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/accounts') posts++;
    });
    const hold = await holdNextSave(page, '/api/v1/accounts', 'POST');
    await create.focus();
    await page.keyboard.press('Enter');
    await hold.sending;
    expect(await create.getAttribute('aria-disabled')).toBe('true');
    // Pressed again while the first save is on its way: nothing more is sent.
    await page.keyboard.press('Enter');
    expect(await hold.release()).toBe(400);
    await page.getByText('Naam is verplicht').first().waitFor();
    expect(await focused(page)).toBe('button Bedrijf toevoegen');
    expect(posts).toBe(1);
    await page.context().close();
  }, 60_000);
});
