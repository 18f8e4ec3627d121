import { createServer, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker, type Worker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

/**
 * An endpoint that hangs (takes the request and never answers) holds one worker slot, not one per
 * delivery: an endpoint's delivery jobs share a job group, and the claim starts one job of a group
 * at a time across every worker. Other endpoints' deliveries and other jobs run meanwhile; once the
 * endpoint answers, its deliveries go out one by one, in the order they were made.
 */
describeEachDialect('an endpoint that hangs', (dialect) => {
  let t: TestApp;
  const servers: Server[] = [];
  const workers: Worker[] = [];

  beforeAll(async () => {
    t = await startTestApp(dialect, { SECRET_KEY: 'f'.repeat(64), WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(workers.map((w) => w.stop()));
    await t.close();
    for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  });

  /**
   * A receiver that records the score of each delivery as it arrives and, while `hanging`, keeps
   * every request open without an answer until `release()`. It counts requests open at once.
   */
  async function receiver(hanging: boolean) {
    const state = { hanging, open: 0, mostOpen: 0, arrived: [] as number[], delivered: 0 };
    const held: ServerResponse[] = [];
    const answer = (res: ServerResponse) => {
      state.open--;
      state.delivered++;
      res.end('ok');
    };
    const server = createServer((req, res) => {
      state.open++;
      state.mostOpen = Math.max(state.mostOpen, state.open);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { data: { score: number } };
        state.arrived.push(body.data.score);
        if (state.hanging) held.push(res);
        else answer(res);
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const release = () => {
      state.hanging = false;
      for (const res of held.splice(0)) answer(res);
    };
    return { state, url, release };
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

  /** One answer per score, each its own request (so its own delivery job), a moment apart. */
  async function answers(owner: Client, scores: number[]) {
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    for (const score of scores) {
      t.clock.now += 1;
      const contact = await buildContact(t.db.kysely, owner.organisationId);
      const inv = await buildInvitation(
        t.db.kysely,
        { organisationId: owner.organisationId, surveyId: survey.id, contactId: contact.id },
        { planned_at: t.clock.now - 1000, expires_at: t.clock.now + 30 * 86_400_000 },
      );
      const res = await t.app.inject({
        method: 'POST',
        url: `/r/${inv.token}`,
        payload: { score },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  }

  async function until(what: string, condition: () => boolean | Promise<boolean>) {
    const deadline = Date.now() + 10_000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Jobs waiting or running, apart from the hung endpoint's group. */
  const pendingBesides = async (group: string) =>
    (
      await t.db.kysely
        .selectFrom('jobs')
        .select(['type', 'group_key'])
        .where('status', 'in', ['queued', 'running'])
        .execute()
    ).filter((j) => j.group_key !== group);

  it('holds one worker slot while other deliveries and jobs run, then delivers in order', async () => {
    t.clock.now = Date.now();
    const hung = await receiver(true);
    const healthy = await receiver(false);
    const garage = await buildOrganisation(t, 'Garage Hangt');
    const hungId = await endpoint(garage, hung.url);
    const neighbour = await buildOrganisation(t, 'Garage Buurman');
    await endpoint(neighbour, healthy.url);

    await answers(garage, [7, 8, 9]);
    await answers(neighbour, [10]);
    // Two worker loops with one slot each: without the group, the hung endpoint's first two
    // deliveries would take both slots and nothing else would run.
    for (let i = 0; i < 2; i++) workers.push(startWorker(t.deps, { concurrency: 1, pollMs: 20 }));

    await until('the first delivery hangs', () => hung.state.open === 1);
    await until('the neighbour is served', () => healthy.state.delivered === 1);
    // Every other job (not only webhooks: what an answer sets off) finishes meanwhile.
    await until(
      'everything else is done',
      async () => (await pendingBesides(`webhook:${hungId}`)).length === 0,
    );
    // New work still flows past the hung endpoint.
    await answers(neighbour, [6]);
    await until('the new answer is delivered', () => healthy.state.delivered === 2);
    expect(hung.state.arrived).toEqual([7]);
    const running = await t.db.kysely
      .selectFrom('jobs')
      .select('id')
      .where('group_key', '=', `webhook:${hungId}`)
      .where('status', '=', 'running')
      .execute();
    expect(running).toHaveLength(1);

    hung.release();
    await until('every delivery arrived', () => hung.state.delivered === 3);
    expect(hung.state.arrived).toEqual([7, 8, 9]);
    expect(hung.state.mostOpen).toBe(1);
    const log = await garage.request({ url: `/api/v1/webhook-endpoints/${hungId}/deliveries` });
    expect(log.json<{ items: { status: string }[] }>().items.map((d) => d.status)).toEqual([
      'delivered',
      'delivered',
      'delivered',
    ]);
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });
});
