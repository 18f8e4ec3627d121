import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import { login, type TestApp } from '../support/harness.ts';
import { freePort } from '../support/pg-cluster.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const OWNER = { email: 'eigenaar@garagedevries.nl', password: 'correct horse battery' };

/**
 * Finding 12 of the probe (issue 7), the screen: while the mail server is down, the outbox says in
 * plain words that the invitation waits for it, why, and when the next attempt is, at desktop width
 * and on a phone; "Nu opnieuw proberen" sends it once the server is back.
 */
describeInBrowserOnce('admin outbox in Chromium: a mail server that is down', (dialect) => {
  let db: Db;
  let browser: Browser;
  let page: Page;
  let smtp: TestSmtpServer | null = null;
  let port: number;
  let close: () => Promise<void>;
  let drain: () => Promise<number>;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    port = await freePort();
    const config = loadConfig({
      LOGIN_RATE_LIMIT: '1000',
      WORKER: 'off',
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
    });
    const deps = { db, config, now: () => Date.now(), platform };
    await db.kysely
      .transaction()
      .execute((trx) =>
        createOrganisationWithOwner(
          trx,
          { organisationName: 'Garage De Vries', locale: 'nl', name: 'Piet de Vries', ...OWNER },
          Date.now(),
        ),
      );
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const baseURL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    drain = () => startWorker(deps, { concurrency: 2 }, false).drain();

    // One customer, one active survey, one send: the mail server is not there.
    const owner = await login({ app } as TestApp, OWNER.email, OWNER.password);
    await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Zoë van ’t Hof', email: 'zoe@voorbeeld.nl' },
    });
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${survey.json<{ id: string }>().id}/sends`,
      payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
    });
    await drain();

    browser = await launchBrowser();
    page = await newPage(browser, baseURL);
    close = async () => {
      await browser.close();
      closeMailTransports();
      await smtp?.close();
      await app.close();
      await db.close();
    };
  });
  afterAll(async () => close());

  it('says the invitation waits for the mail server, and sends it on "try again"', async () => {
    await page.goto('/admin/');
    await page.getByLabel('E-mailadres').fill(OWNER.email);
    await page.getByLabel('Wachtwoord').fill(OWNER.password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Verzonden e-mail' }).click();
    const row = page.getByTestId('outbox-table').locator('tbody tr').first();
    await row.getByText('Wacht op de mailserver').waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('De mailserver was niet bereikbaar.');
    expect(text).toMatch(/Volgende poging: .+\./);
    await screenshot(page, `admin-outbox-waiting-${dialect}`);

    // On a phone the state, the reason and the button are all there, and the page does not scroll
    // sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    const retry = row.getByRole('button', { name: 'Nu opnieuw proberen' });
    await retry.scrollIntoViewIfNeeded();
    expect(await retry.isVisible()).toBe(true);
    await screenshot(page, `admin-outbox-waiting-390-${dialect}`);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
    ).toBe(true);

    smtp = await startSmtpServer(port);
    await retry.click();
    await page.getByText('We proberen het nu opnieuw.').waitFor();
    await drain();
    expect(smtp.received.map((m) => m.envelopeTo)).toEqual([['zoe@voorbeeld.nl']]);
    await page.reload();
    await row.getByText('Verzonden').waitFor();
    expect(await row.getByRole('button').count()).toBe(0);
  }, 60_000);
});
