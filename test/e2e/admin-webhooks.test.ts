import { createServer, type Server } from 'node:http';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../src/platform/jobs/worker.ts';
import { logIn, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildOrganisation } from '../support/harness.ts';
import { checkOnPhone, DESKTOP } from './first-day.helpers.ts';

/**
 * The webhook endpoints screen as an owner uses it: add an endpoint (URL, events), see its secret
 * once, send a test event and find it in the delivery log with its status code and time, replay
 * it, rotate the secret (the new one shown once), turn the endpoint off. On a laptop and a phone.
 */
describeInBrowserOnce('the webhook endpoints screen in the browser', (dialect) => {
  let admin: AdminApp;
  let worker: Worker;
  let receiver: Server;
  let receiverUrl: string;
  const received: { headers: Record<string, unknown>; body: string }[] = [];
  let ownerEmail: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const raddr = receiver.address();
    receiverUrl = `http://127.0.0.1:${typeof raddr === 'object' && raddr ? raddr.port : 0}/hook`;
    admin = await startAdminApp(dialect, {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      // Endpoint secrets are stored encrypted with the installation's key.
      SECRET_KEY: 'a'.repeat(64),
    });
    worker = startWorker(admin.deps, { concurrency: 2, pollMs: 100 });
    ownerEmail = (await buildOrganisation(admin, 'Garage De Vries')).email;
    close = async () => {
      await worker.stop();
      await admin.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    };
  });
  afterAll(async () => close());

  async function clickAndAwait(page: Page, control: Locator, path: string): Promise<void> {
    const answered = page.waitForResponse(
      (r) => r.request().method() !== 'GET' && r.url().includes(path),
      { timeout: 30_000 },
    );
    await control.click();
    await answered;
  }

  it('adds an endpoint, shows its secret once, sends a test event, replays it, rotates and turns off', async () => {
    const page = await logIn(admin, ownerEmail);
    page.setDefaultTimeout(30_000);
    await page.getByRole('navigation').getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Nieuw eindpunt' }).waitFor();
    // The list's empty state: measured with the list drawn, not with its Loading line.
    await page.getByText('Nog geen webhooks').waitFor();
    await checkOnPhone(page, `admin-webhooks-${dialect}`);
    await page.setViewportSize(DESKTOP);

    await page.getByLabel('Adres (URL)').fill(receiverUrl);
    await page.getByLabel('Omschrijving').fill('CRM');
    await page.getByLabel('case.resolved').check();
    await clickAndAwait(
      page,
      page.getByRole('button', { name: 'Eindpunt toevoegen' }),
      '/webhook-endpoints',
    );
    const secret = (await page.getByTestId('webhook-secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    const row = page.getByTestId('webhooks-table').locator('tbody tr');
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    expect(await row.textContent()).toContain('response.created, case.opened, case.resolved');

    await page.getByRole('link', { name: 'Naar het eindpunt' }).click();
    await page.getByRole('heading', { name: 'CRM' }).waitFor();
    // The secret is not shown again.
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);

    await clickAndAwait(page, page.getByRole('button', { name: 'Testbericht sturen' }), '/test');
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(1);
    expect(received[0]?.headers['webhook-signature']).toMatch(/^v1,/);
    // Wait for the delivery's state and its attempt together: the attempt and the state are
    // written in one transaction, so a "200" attempt is never shown on a delivery still waiting.
    const delivery = page.getByTestId('webhook-deliveries').locator('tbody tr').first();
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Vernieuwen' }).click();
          return delivery.textContent();
        },
        { timeout: 30_000 },
      )
      .toMatch(/afgeleverd.*· 200 · \d+ ms/s);
    expect(await delivery.getByTestId('webhook-attempts').textContent()).toMatch(/· 200 · \d+ ms/);

    await clickAndAwait(page, page.getByRole('button', { name: 'Opnieuw sturen' }), '/replay');
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(2);
    expect(received[1]?.headers['webhook-id']).toBe(received[0]?.headers['webhook-id']);

    await clickAndAwait(
      page,
      page.getByRole('button', { name: 'Nieuwe sleutel maken' }),
      '/rotate-secret',
    );
    const rotated = (await page.getByTestId('webhook-secret').textContent()) ?? '';
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    expect(await page.getByText(/De vorige sleutel blijft geldig tot/).count()).toBe(1);

    await clickAndAwait(
      page,
      page.getByRole('button', { name: 'Uitzetten' }),
      '/webhook-endpoints/',
    );
    await expect
      .poll(() => page.getByTestId('webhook-state').textContent(), { timeout: 30_000 })
      .toContain('Uit');
    await checkOnPhone(page, `admin-webhook-${dialect}`);
    await page.context().close();
  }, 120_000);
});
