import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUIET_AFTER_NO_ANSWER_MS } from '../../src/domain/webhooks/unanswered-endpoint.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

/**
 * An endpoint that gives no answer (down, or hanging up) is not tried by every delivery for the
 * whole time limit: after one attempt without an answer the others wait out a quiet period (each
 * retried on its schedule, its log saying why), then one delivery probes it; once it answers,
 * everything goes through. Another organisation's endpoint is tried as usual meanwhile.
 */
describeEachDialect('an endpoint that stopped answering', (dialect) => {
  let t: TestApp;
  const servers: Server[] = [];
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    t = await startTestApp(dialect, { SECRET_KEY: 'f'.repeat(64), WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await t.close();
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });

  /** A receiver that hangs up on every request until `healthy` is set; it counts connections. */
  async function receiver() {
    const state = { healthy: false, connections: 0, delivered: 0 };
    const server = createServer((req, res) => {
      state.connections++;
      if (!state.healthy) {
        req.socket.destroy();
        return;
      }
      req.resume();
      req.on('end', () => {
        state.delivered++;
        res.end('ok');
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    return { state, url };
  }

  async function endpoint(owner: Client, url: string) {
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url, events: ['response.created'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  }

  /** `n` answers, each its own request (so its own delivery job). */
  async function answers(owner: Client, n: number) {
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    for (let i = 0; i < n; i++) {
      const contact = await buildContact(t.db.kysely, owner.organisationId);
      const inv = await buildInvitation(
        t.db.kysely,
        { organisationId: owner.organisationId, surveyId: survey.id, contactId: contact.id },
        { planned_at: t.clock.now - 1000, expires_at: t.clock.now + 30 * 86_400_000 },
      );
      const res = await t.app.inject({
        method: 'POST',
        url: `/r/${inv.token}`,
        payload: { score: 9 },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  }

  it('is left alone for a while, then probed, and gets everything once it answers', async () => {
    t.clock.now = Date.now();
    const silent = await receiver();
    const garage = await buildOrganisation(t, 'Garage Stil');
    const endpointId = await endpoint(garage, silent.url);
    const other = await receiver();
    other.state.healthy = true;
    const neighbour = await buildOrganisation(t, 'Garage Buurman');
    await endpoint(neighbour, other.url);

    await answers(garage, 3);
    await answers(neighbour, 1);
    await drain();
    // One attempt reached the silent endpoint; the neighbour's delivery went as usual.
    expect(silent.state.connections).toBe(1);
    expect(other.state.delivered).toBe(1);
    const log = await garage.request({ url: `/api/v1/webhook-endpoints/${endpointId}/deliveries` });
    const errors = log
      .json<{ items: { status: string; lastError: string | null }[] }>()
      .items.map((d) => d.lastError ?? '');
    expect(errors.filter((e) => e.startsWith('not tried: no answer since'))).toHaveLength(2);

    // After the quiet period the retries come due: one probes, silence again, the others wait.
    t.clock.now += QUIET_AFTER_NO_ANSWER_MS + 60_000;
    await drain();
    expect(silent.state.connections).toBe(2);

    // It answers again: the next probe gets through, and with it every delivery.
    silent.state.healthy = true;
    t.clock.now += 3 * 3_600_000;
    await drain();
    expect(silent.state.delivered).toBe(3);
    const after = await garage.request({
      url: `/api/v1/webhook-endpoints/${endpointId}/deliveries`,
    });
    expect(after.json<{ items: { status: string }[] }>().items.map((d) => d.status)).toEqual([
      'delivered',
      'delivered',
      'delivered',
    ]);
  });
});
