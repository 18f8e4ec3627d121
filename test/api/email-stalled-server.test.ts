import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { defineModule } from '../../src/platform/define-module.ts';
import { defineJob, enqueue, handleJob } from '../../src/platform/jobs/define-job.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { impatient, startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const quick: string[] = [];
const quickJob = defineJob({ type: 'test.quick', payload: z.object({ n: z.number() }) });
const quickModule = defineModule({
  name: 'test-quick',
  jobs: [
    handleJob(quickJob, {
      async run({ n }) {
        quick.push(String(n));
        return { status: 'success' };
      },
    }),
  ],
});

/**
 * Finding 4 of the probe (issue 7): a mail server that accepts DATA and never answers blocked every
 * background job for ten minutes (nodemailer's default wait; the worker waited for its whole batch)
 * and then sent duplicates. A real SMTP server here takes the message in and goes silent: the send
 * gives up after SMTP_TIMEOUT_MS of silence and is retried later, other jobs run meanwhile, and once
 * the server answers again the invitation goes out with the same Message-ID.
 */
describeEachDialect('a mail server that never answers DATA', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let owner: Client;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(
      dialect,
      {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
        PUBLIC_URL: 'https://nps.example.nl',
      },
      { extraModules: [quickModule] },
    );
    owner = await buildOrganisation(t);
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  it('gives up on the silent server in seconds, runs other jobs meanwhile, and retries', async () => {
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Sanne de Boer', email: 'sanne@example.nl', segment: 'stil' },
    });
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${survey.json<{ id: string }>().id}/sends`,
      payload: { selection: { kind: 'segment', segment: 'stil' }, schedule: { kind: 'now' } },
    });
    expect(send.statusCode, send.body).toBe(201);
    for (let n = 0; n < 5; n++) {
      await enqueue(t.db.kysely, quickJob, { n }, { organisationId: null, now: t.clock.now + 1 });
    }

    quick.length = 0;
    smtp.stallAfterData = true;
    t.clock.now += 1;
    // Silence after DATA is given up after 0.8 s, not nodemailer's ten minutes: were it not, this
    // drain would outlast the test's timeout (no wall-clock assertion, so a busy machine is fine).
    await startWorker(impatient(t.deps), { concurrency: 2 }, false).drain();
    expect(smtp.stalled).toBe(1);
    expect(quick).toHaveLength(5);

    const job = await t.db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts', 'last_error'])
      .where('type', '=', 'invitation.send')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'queued', attempts: 1 });
    // Either the socket's silence timeout or, on a busy machine, the overall deadline fires first.
    expect(job.last_error).toMatch(/timeout|did not finish the message within/i);
    const invitation = await t.db.kysely
      .selectFrom('invitations')
      .select(['status', 'message_id'])
      .executeTakeFirstOrThrow();
    expect(invitation.status).not.toBe('failed');

    smtp.stallAfterData = false;
    t.clock.now += 3_600_000;
    await startWorker(t.deps, { concurrency: 2 }, false).drain();
    expect(smtp.received.map((m) => m.messageId)).toEqual([invitation.message_id]);
    const after = await t.db.kysely
      .selectFrom('invitations')
      .select('status')
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('sent');
  });
});
