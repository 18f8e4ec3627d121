import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../src/platform/jobs/worker.ts';
import { logIn, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { newPage, screenshot } from '../support/browser.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation } from '../support/harness.ts';

describeEachDialect('admin app in Chromium: survey, send, outbox, results', (dialect) => {
  let admin: AdminApp;
  let worker: Worker;
  let page: Page;

  beforeAll(async () => {
    // No SMTP_URL: invitations land in the local outbox, which the admin shows.
    admin = await startAdminApp(dialect);
    const owner = await buildOrganisation(admin, 'Garage De Vries');
    worker = startWorker(admin.deps, { concurrency: 2, pollMs: 100 });
    page = await logIn(admin, owner.email);
  });
  afterAll(async () => {
    await worker.stop();
    await admin.close();
  });

  it('creates a survey, sends it, shows the email in the outbox and the NPS after an answer', async () => {
    // One customer, added by hand.
    await page.getByRole('navigation').getByRole('link', { name: 'Contacten' }).click();
    await page.getByRole('link', { name: 'Nieuw contact' }).click();
    await page.getByLabel('Naam').fill('Zoë van ’t Hof');
    await page.getByLabel('E-mailadres').fill('zoe@voorbeeld.nl');
    await page.getByRole('button', { name: 'Contact toevoegen' }).click();
    await page.getByRole('heading', { name: 'Zoë van ’t Hof' }).waitFor();

    // A survey with the default texts; "Activeren en versturen" leads to the send screen.
    await page.getByRole('link', { name: 'Enquêtes' }).click();
    await page.getByRole('button', { name: 'Nieuwe enquête' }).first().click();
    await page.getByRole('heading', { name: 'Klanttevredenheid (NPS)' }).waitFor();
    await page.getByRole('button', { name: 'Activeren en versturen' }).click();

    // Send: the preview says who is invited before anything goes out, and, with no mail server,
    // that the invitation will only reach the local outbox.
    const preview = page.getByTestId('send-preview');
    await preview.waitFor();
    expect(await preview.locator('.count strong').allTextContents()).toEqual(['1', '1', '0']);
    await page
      .getByRole('button', { name: 'Activeren en 1 uitnodiging in het lokale postvak zetten' })
      .click();
    await page
      .getByText('1 uitnodiging staat in het lokale postvak en is niet verstuurd.')
      .waitFor();

    // The worker renders the email into the local outbox; the admin shows it in a sandbox.
    await page.getByRole('navigation').getByRole('link', { name: 'Verzonden e-mail' }).click();
    const outbox = page.getByTestId('outbox-table');
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole('heading', { name: 'Verzonden e-mail' }).waitFor();
          return outbox.locator('tbody tr').count();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(1);
    expect(await outbox.locator('tbody tr td').first().textContent()).toBe('zoe@voorbeeld.nl');
    await outbox.locator('tbody tr a').first().click();
    const frame = page.getByTestId('email-frame');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    const html = (await frame.getAttribute('srcdoc')) ?? '';
    // Staff see the email with its personal links masked: nobody answers for the customer here.
    expect(/href="[^"]*\/r\/hidden\?score=9"/.test(html)).toBe(true);

    // The customer's own copy (as delivered) carries the real link: they click 9 and confirm.
    const delivered = await admin.db.kysely
      .selectFrom('emails')
      .select('html_body')
      .where('to_address', '=', 'zoe@voorbeeld.nl')
      .executeTakeFirstOrThrow();
    const scoreLink = /href="([^"]*\/r\/[^"?]+\?score=9)"/.exec(delivered.html_body)?.[1];
    expect(scoreLink).toBeTruthy();
    expect(scoreLink).not.toContain('/r/hidden');
    const customer = await newPage(admin.browser, admin.baseURL);
    const url = new URL((scoreLink ?? '').replaceAll('&amp;', '&'));
    await customer.goto(`${url.pathname}${url.search}`);
    await customer.getByRole('button', { name: 'Verstuur' }).click();
    await customer.getByRole('heading', { name: 'Bedankt' }).waitFor();
    await customer.context().close();

    // Results: one promoter, NPS +100, with its interval.
    await page.getByRole('navigation').getByRole('link', { name: 'Resultaten' }).click();
    await expect
      .poll(() => page.getByTestId('nps-value').textContent(), { timeout: 20_000 })
      .toBe('+100');
    expect(await page.getByTestId('nps-card').textContent()).toContain('Op basis van 1 antwoord.');
    await screenshot(page, `admin-results-${dialect}`);
  }, 60_000);
});
