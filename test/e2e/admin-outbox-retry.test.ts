import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { logIn, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { screenshot } from '../support/browser.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildOrganisation } from '../support/harness.ts';
import { freePort } from '../support/pg-cluster.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

/**
 * Finding 12 of the probe (issue 7), the screen: while the mail server is down, the outbox says in
 * plain words that the invitation waits for it, why, and when the next attempt is, at desktop width
 * and on a phone; "Nu opnieuw proberen" sends it once the server is back.
 */
describeInBrowserOnce('admin outbox in Chromium: a mail server that is down', (dialect) => {
  let admin: AdminApp;
  let page: Page;
  let smtp: TestSmtpServer | null = null;
  let port: number;
  let drain: () => Promise<number>;

  beforeAll(async () => {
    port = await freePort();
    admin = await startAdminApp(dialect, {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
    });
    drain = () => startWorker(admin.deps, { concurrency: 2 }, false).drain();

    // One customer, one active survey, one send: the mail server is not there.
    const owner = await buildOrganisation(admin, 'Garage De Vries');
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

    page = await logIn(admin, owner.email);
  });
  afterAll(async () => {
    closeMailTransports();
    await smtp?.close();
    await admin.close();
  });

  it('says the invitation waits for the mail server, and sends it on "try again"', async () => {
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
