import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../src/platform/jobs/worker.ts';
import { logIn, startAdminApp, type AdminApp } from '../support/admin-app.ts';
import { describeInBrowserOnce } from '../support/databases.ts';
import { buildOrganisation } from '../support/harness.ts';
import { checkOnPhone } from './first-day.helpers.ts';

/**
 * The delivery log says why a delivery failed in the reader's language: a refused connection
 * reads "Verbinding geweigerd" on a Dutch screen, not Node's English error, on a laptop and a
 * phone; the English text stays available as the tooltip. So does an endpoint's state: one that
 * answered 410 Gone reads why Loyaal turned it off, in Dutch, not the stored code `gone`; a reason
 * this version does not know is shown as stored, after a sentence that says so.
 */
describeInBrowserOnce('the webhook delivery log’s reasons in the browser', (dialect) => {
  let admin: AdminApp;
  let worker: Worker;
  let ownerEmail: string;
  let ownerClient: Awaited<ReturnType<typeof buildOrganisation>>;
  let endpointId: string;
  let goneServer: Server;
  let goneUrl: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    admin = await startAdminApp(dialect, {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      SECRET_KEY: 'a'.repeat(64),
    });
    worker = startWorker(admin.deps, { concurrency: 2, pollMs: 100 });
    ownerClient = await buildOrganisation(admin, 'Garage Reden');
    ownerEmail = ownerClient.email;
    // A port nobody listens on: bound, then closed again.
    const spare = createServer();
    await new Promise<void>((r) => spare.listen(0, '127.0.0.1', r));
    const port = (spare.address() as AddressInfo).port;
    await new Promise<void>((r) => spare.close(() => r()));
    const created = await ownerClient.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url: `http://127.0.0.1:${port}/hook`, events: ['response.created'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    endpointId = created.json<{ id: string }>().id;
    const sent = await ownerClient.request({
      method: 'POST',
      url: `/api/v1/webhook-endpoints/${endpointId}/test`,
    });
    expect(sent.statusCode, sent.body).toBeLessThan(300);
    // A receiver that wants no more messages: it answers 410 Gone.
    goneServer = createServer((req, res) => {
      req.resume();
      res.statusCode = 410;
      res.end();
    });
    await new Promise<void>((r) => goneServer.listen(0, '127.0.0.1', r));
    goneUrl = `http://127.0.0.1:${(goneServer.address() as AddressInfo).port}/hook`;
    close = async () => {
      await new Promise<void>((r) => goneServer.close(() => r()));
      await worker.stop();
      await admin.close();
    };
  });
  afterAll(async () => close());

  it('shows a refused connection in Dutch, with the technical text as its tooltip', async () => {
    const page = await logIn(admin, ownerEmail);
    page.setDefaultTimeout(30_000);
    await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
    await page.goto(`/admin/webhooks/${endpointId}`);
    const attempts = page.getByTestId('webhook-attempts').first();
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Vernieuwen' }).click();
          return (await attempts.count()) ? attempts.textContent() : '';
        },
        { timeout: 30_000 },
      )
      .toContain('Verbinding geweigerd: op dit adres luistert niets');
    const log = (await page.getByTestId('webhook-deliveries').textContent()) ?? '';
    expect(log).not.toContain('ECONNREFUSED');
    expect(await attempts.locator('li').first().getAttribute('title')).toContain('ECONNREFUSED');
    await checkOnPhone(page, `admin-webhook-reasons-${dialect}`);
    await page.context().close();
  }, 120_000);

  it('says why Loyaal turned an endpoint off, in Dutch, and keeps an unknown reason readable', async () => {
    const created = await ownerClient.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url: goneUrl, events: ['response.created'], description: 'Oud CRM' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const gone = created.json<{ id: string }>().id;
    const sent = await ownerClient.request({
      method: 'POST',
      url: `/api/v1/webhook-endpoints/${gone}/test`,
    });
    expect(sent.statusCode, sent.body).toBeLessThan(300);
    await expect
      .poll(
        async () =>
          (await ownerClient.request({ url: `/api/v1/webhook-endpoints/${gone}` })).json<{
            enabled: boolean;
          }>().enabled,
        { timeout: 30_000 },
      )
      .toBe(false);
    // A reason written by another version of Loyaal, which this one has no text for.
    const other = await ownerClient.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url: goneUrl, events: ['response.created'], enabled: false },
    });
    expect(other.statusCode, other.body).toBe(201);
    const otherId = other.json<{ id: string }>().id;
    await admin.db.kysely
      .updateTable('webhook_endpoints')
      .set({ disabled_reason: 'too_many_failures' })
      .where('id', '=', otherId)
      .execute();

    const page = await logIn(admin, ownerEmail);
    page.setDefaultTimeout(30_000);
    await page.getByRole('button', { name: 'Uitloggen' }).waitFor();
    await page.goto(`/admin/webhooks/${gone}`);
    const state = page.getByTestId('webhook-state');
    await expect.poll(async () => state.textContent()).toContain('410 Gone');
    const text = (await state.textContent()) ?? '';
    expect(text).toContain('Uit');
    expect(text).toContain('Automatisch uitgezet: het eindpunt antwoordde 410 Gone');
    expect(text).not.toMatch(/\bgone\b/);
    await checkOnPhone(page, `admin-webhook-disabled-${dialect}`);

    await page.goto(`/admin/webhooks/${otherId}`);
    await expect
      .poll(async () => state.textContent())
      .toContain('Uitgezet om een andere reden: too_many_failures');
    await page.context().close();
  }, 120_000);
});
