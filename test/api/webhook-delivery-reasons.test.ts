import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

interface Reason {
  code: string;
  text: string;
}
interface Delivery {
  lastReason: Reason | null;
  log: { statusCode: number | null; reason: Reason | null }[];
}

/**
 * Why a webhook delivery failed is a stable code the admin app translates, beside the readable
 * (English) text of what happened: "connection refused" reaches a Dutch owner in Dutch.
 */
describeEachDialect('webhook delivery reasons', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let failing: Server;
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    t = await startTestApp(dialect, { SECRET_KEY: 'a'.repeat(64), WEBHOOK_ALLOW_PRIVATE: 'true' });
    t.clock.now = Date.now() - 200_000;
    owner = await buildOrganisation(t, 'Garage Reden');
    failing = createServer((_req, res) => res.writeHead(503).end('busy'));
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((r) => failing.close(() => r()));
  });

  async function deliveryTo(url: string): Promise<Delivery> {
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url, events: ['response.created'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    const test = await owner.request({
      method: 'POST',
      url: `/api/v1/webhook-endpoints/${id}/test`,
    });
    expect(test.statusCode, test.body).toBeLessThan(300);
    await drain();
    const res = await owner.request({ url: `/api/v1/webhook-endpoints/${id}/deliveries` });
    expect(res.statusCode, res.body).toBe(200);
    const [first] = res.json<{ items: Delivery[] }>().items;
    if (!first) throw new Error('no delivery');
    return first;
  }

  it('gives a refused connection a stable code and a readable text', async () => {
    // A port nobody listens on: bound, then closed again.
    const spare = createServer();
    await new Promise<void>((r) => spare.listen(0, '127.0.0.1', r));
    const port = (spare.address() as AddressInfo).port;
    await new Promise<void>((r) => spare.close(() => r()));
    const d = await deliveryTo(`http://127.0.0.1:${port}/hook`);
    expect(d.log[0]?.reason).toEqual({
      code: 'connection_refused',
      text: expect.stringContaining('ECONNREFUSED') as unknown,
    });
    expect(d.lastReason?.code).toBe('connection_refused');
  });

  it('gives an error status its own code, with the status in the text', async () => {
    const port = (failing.address() as AddressInfo).port;
    const d = await deliveryTo(`http://127.0.0.1:${port}/hook`);
    expect(d.log[0]).toMatchObject({
      statusCode: 503,
      reason: { code: 'http_status', text: 'HTTP 503' },
    });
  });
});
