import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { mailRetryDelay } from '../../src/modules/email/mail-retry.ts';
import { SEND_MAX_ATTEMPTS } from '../../src/modules/invitations/invitations.jobs.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { freePort } from '../support/pg-cluster.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

interface OutboxItem {
  id: string;
  invitationId: string;
  status: string;
  failure: string | null;
  nextAttemptAt: string | null;
  retryable: boolean;
}

/**
 * Finding 12 of the probe (issue 7): a mail outage of more than about 21 minutes failed invitations
 * for good. The mail server here is simply not there (nothing listens on its port) for a day: each
 * attempt is recorded on the email with the reason and the next attempt, the back-off spans a day,
 * and only then is the invitation failed — with "try again" in the outbox, which sends it once the
 * server is back. A waiting email can be tried at once too.
 */
describeEachDialect('a mail server that is down for a day', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let port: number;
  let smtp: TestSmtpServer | null = null;
  let surveyId: string;

  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp(dialect, {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: 'https://nps.example.nl',
    });
    owner = await buildOrganisation(t);
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    surveyId = res.json<{ id: string }>().id;
  });
  afterAll(async () => {
    closeMailTransports();
    await smtp?.close();
    await t.close();
  });

  // Every test starts with the mail server down, whichever test started it last.
  beforeEach(async () => {
    closeMailTransports();
    await smtp?.close();
    smtp = null;
  });

  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();
  let seq = 0;
  async function invite(): Promise<string> {
    const segment = `s${++seq}`;
    await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Sanne de Boer', email: `sanne${seq}@example.nl`, segment },
    });
    await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends`,
      payload: { selection: { kind: 'segment', segment }, schedule: { kind: 'now' } },
    });
    await drain();
    return segment;
  }
  const outboxItem = async (n: number) =>
    (await owner.request({ url: '/api/v1/outbox' })).json<{ items: OutboxItem[] }>().items[n];
  const invitationStatus = async (id: string) =>
    await t.db.kysely
      .selectFrom('invitations')
      .select(['status', 'skip_reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('keeps trying for a day, saying why and when, then offers to try again', async () => {
    const started = t.clock.now;
    await invite();
    let email = await outboxItem(0);
    expect(email).toMatchObject({
      status: 'queued',
      failure: 'unreachable',
      retryable: true,
      nextAttemptAt: new Date(t.clock.now + 60_000).toISOString(),
    });
    expect(await invitationStatus(email?.invitationId ?? '')).toMatchObject({ status: 'queued' });

    for (let attempt = 1; attempt < SEND_MAX_ATTEMPTS; attempt++) {
      t.clock.now += mailRetryDelay(attempt);
      await drain();
    }
    // Twenty-one minutes used to be the end; now the last attempt comes after almost a day.
    expect(t.clock.now - started).toBeGreaterThan(20 * 3_600_000);
    email = await outboxItem(0);
    expect(email).toMatchObject({
      status: 'failed',
      failure: 'unreachable',
      nextAttemptAt: null,
      retryable: true,
    });
    expect(await invitationStatus(email?.invitationId ?? '')).toEqual({
      status: 'failed',
      skip_reason: 'delivery_failed',
    });

    smtp = await startSmtpServer(port);
    const retry = await owner.request({
      method: 'POST',
      url: `/api/v1/outbox/${email?.id ?? ''}/retry`,
    });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toMatchObject({
      status: 'queued',
      nextAttemptAt: new Date(t.clock.now).toISOString(),
    });
    await drain();
    expect(smtp.received).toHaveLength(1);
    expect(await outboxItem(0)).toMatchObject({ status: 'sent', failure: null });
    expect(await invitationStatus(email?.invitationId ?? '')).toMatchObject({ status: 'sent' });
    // Sent mail cannot be "retried".
    const again = await owner.request({
      method: 'POST',
      url: `/api/v1/outbox/${email?.id ?? ''}/retry`,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('email_not_retryable');
  });

  it('tries a waiting email at once when asked, without waiting for its next attempt', async () => {
    await invite();
    const waiting = await outboxItem(0);
    expect(waiting).toMatchObject({ status: 'queued', failure: 'unreachable', retryable: true });
    smtp = await startSmtpServer(port);
    const retry = await owner.request({
      method: 'POST',
      url: `/api/v1/outbox/${waiting?.id ?? ''}/retry`,
    });
    expect(retry.statusCode, retry.body).toBe(200);
    await drain();
    expect(smtp.received).toHaveLength(1);
    expect(await outboxItem(0)).toMatchObject({ status: 'sent' });
  });
});
