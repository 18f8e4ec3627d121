import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  writeSubmissions,
  type InvitationSubmission,
} from '../../src/modules/responses/response-writer.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey, scoreAnswer } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

/** A receiver answering from a script of status codes, then `otherwise`; it records message ids. */
async function receiver(script: number[], otherwise = 200) {
  const received: string[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(String(req.headers['webhook-id']));
      res.statusCode = script.shift() ?? otherwise;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * The answers of one batch (the group-commit writer's transaction) reach an endpoint through ONE
 * delivery job, their deliveries in order — a few job rows per batch instead of one per answer.
 * Within that job each delivery still stands on its own: one the receiver refuses does not hold
 * back the others, is retried on the schedule and delivered once; one delivered is never sent
 * again; a receiver that does not answer at all is not called again for the rest in that attempt;
 * after the last attempt only the deliveries still pending are failed.
 */
describeEachDialect('webhook deliveries of one answer batch', (dialect) => {
  let t: TestApp;
  const closers: Array<() => Promise<void>> = [];
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    t = await startTestApp(dialect, { SECRET_KEY: 'b'.repeat(64), WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await t.close();
    for (const close of closers) await close();
  });

  /**
   * An organisation whose endpoint at `url` takes every answer (and whatever else `events` says);
   * `n` answers of `score` as one batch.
   */
  async function answeredBatch(
    url: string,
    n: number,
    { events = ['response.created'], score = 9 }: { events?: string[]; score?: number } = {},
  ) {
    const owner = await buildOrganisation(t);
    const org = owner.organisationId;
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/webhook-endpoints',
      payload: { url, events, format: 'standard' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const survey = await buildSurvey(t.db.kysely, org);
    const submissions: InvitationSubmission[] = [];
    for (let i = 0; i < n; i++) {
      const contact = await buildContact(t.db.kysely, org);
      const invitation = await buildInvitation(
        t.db.kysely,
        { organisationId: org, surveyId: survey.id, contactId: contact.id },
        { planned_at: t.clock.now - 1000, expires_at: t.clock.now + 30 * 86_400_000 },
      );
      submissions.push({
        token: invitation.token,
        mode: 'score',
        answer: scoreAnswer(score),
        now: t.clock.now,
      });
    }
    await t.db.kysely.transaction().execute((trx) => writeSubmissions(trx, t.deps, submissions));
    const jobs = await t.db.kysely
      .selectFrom('jobs')
      .select('payload')
      .where('organisation_id', '=', org)
      .where('type', '=', 'webhook.deliver')
      .execute();
    // In the job's order (the order of the batch's events).
    const order = jobs.flatMap(
      (j) => (JSON.parse(j.payload) as { deliveryIds: string[] }).deliveryIds,
    );
    const deliveries = async () => {
      const rows = await t.db.kysely
        .selectFrom('webhook_deliveries')
        .select(['id', 'message_id', 'event_type', 'status', 'attempts'])
        .where('organisation_id', '=', org)
        .execute();
      return [...rows].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
    };
    return { jobs, deliveries };
  }

  it('writes one job for the batch, its deliveries in order', async () => {
    const hook = await receiver([]);
    closers.push(hook.close);
    const { jobs, deliveries } = await answeredBatch(hook.url, 5);
    const rows = await deliveries();
    expect(rows).toHaveLength(5);
    expect(jobs).toHaveLength(1);
    expect(JSON.parse(jobs[0]?.payload ?? '{}')).toEqual({
      deliveryIds: expect.arrayContaining(rows.map((d) => d.id)) as unknown,
    });
    await drain();
    expect(hook.received).toEqual(rows.map((d) => d.message_id));
    expect((await deliveries()).map((d) => [d.status, d.attempts])).toEqual(
      rows.map(() => ['delivered', 1]),
    );
  });

  it('sends the answers and the cases they opened through one job, the answers first', async () => {
    const hook = await receiver([]);
    closers.push(hook.close);
    const { jobs, deliveries } = await answeredBatch(hook.url, 3, {
      events: ['response.created', 'case.opened'],
      score: 2,
    });
    const rows = await deliveries();
    expect(jobs).toHaveLength(1);
    expect(rows.map((d) => d.event_type)).toEqual([
      'response.created',
      'response.created',
      'response.created',
      'case.opened',
      'case.opened',
      'case.opened',
    ]);
    await drain();
    expect(hook.received).toEqual(rows.map((d) => d.message_id));
  });

  it('a delivery the receiver refuses holds back none of the others and is delivered once on the retry', async () => {
    const hook = await receiver([200, 500, 200, 200]);
    closers.push(hook.close);
    const { deliveries } = await answeredBatch(hook.url, 4);
    const rows = await deliveries();
    await drain();
    expect(hook.received).toEqual(rows.map((d) => d.message_id));
    expect((await deliveries()).map((d) => d.status)).toEqual([
      'delivered',
      'pending',
      'delivered',
      'delivered',
    ]);

    t.clock.now += 3_600_000;
    await drain();
    expect(hook.received).toEqual([...rows.map((d) => d.message_id), rows[1]?.message_id]);
    expect((await deliveries()).map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 2],
      ['delivered', 1],
      ['delivered', 1],
    ]);
  });

  it('a receiver that does not answer is called once per attempt; after the last attempt the rest fail', async () => {
    // A port nobody listens on: the connection is refused, no answer at all.
    const gone = await receiver([]);
    await gone.close();
    const { deliveries } = await answeredBatch(gone.url, 3);
    await drain();
    expect((await deliveries()).map((d) => [d.status, d.attempts])).toEqual([
      ['pending', 1],
      ['pending', 0],
      ['pending', 0],
    ]);
    for (let day = 0; day < 10; day++) {
      t.clock.now += 86_400_000;
      await drain();
    }
    expect((await deliveries()).map((d) => d.status)).toEqual(['failed', 'failed', 'failed']);
  });

  it('after the last attempt a delivered one stays delivered', async () => {
    const hook = await receiver([200], 500);
    closers.push(hook.close);
    const { deliveries } = await answeredBatch(hook.url, 2);
    for (let day = 0; day < 10; day++) {
      await drain();
      t.clock.now += 86_400_000;
    }
    expect((await deliveries()).map((d) => d.status)).toEqual(['delivered', 'failed']);
    expect(hook.received.filter((id) => id === hook.received[0])).toHaveLength(1);
  });

  /** Makes the database refuse every change to this delivery: a failure after its attempt is written. */
  async function refuseChangesTo(deliveryId: string) {
    const db = t.db.kysely;
    if (dialect === 'sqlite') {
      await sql`CREATE TRIGGER refuse_delivery BEFORE UPDATE ON webhook_deliveries
        WHEN OLD.id = ${sql.lit(deliveryId)} BEGIN SELECT RAISE(ABORT, 'refused'); END`.execute(db);
      return () => sql`DROP TRIGGER refuse_delivery`.execute(db);
    }
    await sql`CREATE FUNCTION refuse_delivery() RETURNS trigger LANGUAGE plpgsql
      AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`.execute(db);
    await sql`CREATE TRIGGER refuse_delivery BEFORE UPDATE ON webhook_deliveries FOR EACH ROW
      WHEN (OLD.id = ${sql.lit(deliveryId)}) EXECUTE FUNCTION refuse_delivery()`.execute(db);
    return async () => {
      await sql`DROP TRIGGER refuse_delivery ON webhook_deliveries`.execute(db);
      await sql`DROP FUNCTION refuse_delivery()`.execute(db);
    };
  }

  const attemptsOf = (deliveryId: string) =>
    t.db.kysely
      .selectFrom('webhook_attempts')
      .select(['status_code'])
      .where('delivery_id', '=', deliveryId)
      .execute();

  it('writes an attempt and its delivery’s status together: a status that cannot be written leaves no attempt', async () => {
    const hook = await receiver([]);
    closers.push(hook.close);
    const { deliveries } = await answeredBatch(hook.url, 3);
    const rows = await deliveries();
    const second = rows[1]?.id ?? '';
    const allow = await refuseChangesTo(second);
    try {
      await drain();
    } finally {
      await allow();
    }
    // The receiver took the second one, but its status could not be written: its "200" attempt
    // is rolled back with it, so no reader sees a successful attempt on a pending delivery.
    expect(hook.received).toEqual(rows.slice(0, 2).map((d) => d.message_id));
    expect((await deliveries()).map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['pending', 0],
      ['pending', 0],
    ]);
    expect(await attemptsOf(rows[0]?.id ?? '')).toEqual([{ status_code: 200 }]);
    expect(await attemptsOf(second)).toEqual([]);

    t.clock.now += 3_600_000;
    await drain();
    expect((await deliveries()).map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 1],
    ]);
    expect(await attemptsOf(second)).toEqual([{ status_code: 200 }]);
  });
});
