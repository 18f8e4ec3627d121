import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { mailRetryDelay } from '../../src/modules/email/mail-retry.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildOrganisation,
  startMailingTestApp,
  type Client,
  type MailingTestApp,
} from '../support/harness.ts';
import { impatient, type TestSmtpServer } from '../support/smtp-server.ts';

/**
 * A batch of invitations meets a mail server that takes a message in and never answers. The first
 * message times out; the rest of the batch is not tried (each would wait as long), each recorded
 * as failed with the reason and tried again on its own back-off; once the server answers again,
 * every invitation goes out once.
 */
describeEachDialect('a batch of invitations and a hung mail server', (dialect) => {
  let smtp: TestSmtpServer;
  let t: MailingTestApp;
  let owner: Client;

  beforeAll(async () => {
    t = await startMailingTestApp(dialect);
    smtp = t.smtp;
    owner = await buildOrganisation(t);
  });
  afterAll(async () => t?.close());

  it('waits for one message, not for each, and sends them all once the server answers', async () => {
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    const addresses = Array.from({ length: 6 }, (_, i) => `stil${i}.${dialect}@example.nl`);
    for (const [i, email] of addresses.entries()) {
      await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { name: `Klant ${i}`, email, segment: 'stil' },
      });
    }
    smtp.stallAfterData = true;
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${survey.json<{ id: string }>().id}/sends`,
      payload: { selection: { kind: 'segment', segment: 'stil' }, schedule: { kind: 'now' } },
    });
    expect(send.statusCode, send.body).toBe(201);
    await startWorker(impatient(t.deps), { concurrency: 1 }, false).drain();

    // One message reached the silent server; the batch did not hand it the other five.
    expect(smtp.stalled).toBe(1);
    const jobs = await t.db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts', 'last_error'])
      .where('type', '=', 'invitation.send')
      .execute();
    expect(jobs).toHaveLength(6);
    for (const job of jobs) {
      expect(job).toMatchObject({ status: 'queued', attempts: 1 });
      expect(job.last_error).not.toBeNull();
    }
    const emails = await t.db.kysely
      .selectFrom('emails')
      .select(['status', 'failure', 'next_attempt_at'])
      .where('kind', '=', 'invitation')
      .execute();
    expect(emails).toHaveLength(6);
    for (const email of emails) {
      expect(email).toMatchObject({ status: 'queued', failure: 'timeout' });
      expect(email.next_attempt_at).toBe(t.clock.now + mailRetryDelay(1));
    }

    smtp.stallAfterData = false;
    closeMailTransports();
    t.clock.now += mailRetryDelay(1);
    await startWorker(t.deps, { concurrency: 1 }, false).drain();
    for (const address of addresses) {
      expect(
        smtp.received.filter((m) => m.envelopeTo.includes(address)),
        address,
      ).toHaveLength(1);
    }
    const sent = await t.db.kysely
      .selectFrom('invitations')
      .select('status')
      .where('status', '=', 'sent')
      .execute();
    expect(sent).toHaveLength(6);
  });
});
