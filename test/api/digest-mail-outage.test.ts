import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildOrganisation,
  digestByRoleDefault,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { freePort } from '../support/pg-cluster.ts';
import { startSmtpServer } from '../support/smtp-server.ts';

const at = (local: string) => Date.parse(local);

type OutboxItem = { id: string; status: string };

/**
 * The weekly digest when the mail server is down on Monday morning. Its compose job retries on the
 * invitations' schedule (about a day, email-outage.test.ts): an outage of a few hours delays the
 * digest, and a server that stays down past the last attempt leaves the digest's email `failed` in
 * the outbox — "Niet verzonden", not "In de wachtrij" for a mail nothing will send.
 */
describeEachDialect('the weekly digest during a mail outage', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp(dialect, {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: 'https://nps.garage.test',
    });
    t.clock.now = at('2026-11-29T12:00+01:00');
    owner = await buildOrganisation(t, 'Garage De Vries');
    await digestByRoleDefault(t, owner.organisationId);
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
  });

  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();
  /** The worker running every ten minutes, `count` times. */
  const every10Minutes = async (count: number) => {
    for (let i = 0; i < count; i++) {
      t.clock.now += 10 * 60_000;
      await drain();
    }
  };
  const digestOf = async (week: string) => {
    const job = await t.db.kysely
      .selectFrom('jobs')
      .select(['status'])
      .where('type', '=', 'digest.compose')
      .where('organisation_id', '=', owner.organisationId)
      .where('payload', 'like', `%${week}%`)
      .executeTakeFirstOrThrow();
    const email = await t.db.kysely
      .selectFrom('emails')
      .select(['id', 'status', 'failure', 'next_attempt_at'])
      .where('organisation_id', '=', owner.organisationId)
      .where('kind', '=', 'weekly_digest')
      .where('message_id', 'like', `<digest.${week}.%`)
      .executeTakeFirstOrThrow();
    const listed = (await owner.request({ url: '/api/v1/outbox' })).json<{
      items: OutboxItem[];
    }>().items;
    return { job: job.status, email, shownAs: listed.find((e) => e.id === email.id)?.status };
  };

  it('delivers the digest once the mail server is back after three hours', async () => {
    t.clock.now = at('2026-11-30T07:05+01:00');
    await drain();
    await every10Minutes(18); // down until 10:05
    const server = await startSmtpServer(port);
    try {
      closeMailTransports();
      await every10Minutes(60); // the rest of Monday
    } finally {
      // Down again for whatever runs next.
      await server.close();
      closeMailTransports();
    }
    const digest = await digestOf('2026-W48');
    const received = server.received.filter((m) => m.envelopeTo.includes(owner.email));
    expect({
      job: digest.job,
      email: digest.email.status,
      shownAs: digest.shownAs,
      received: received.length,
    }).toEqual({ job: 'done', email: 'sent', shownAs: 'sent', received: 1 });
  }, 120_000);

  it('marks the digest failed, with why, once the mail server stayed down past its last attempt', async () => {
    t.clock.now = at('2026-12-07T07:05+01:00');
    await drain();
    // A day and a half, the worker running every ten minutes.
    await every10Minutes(6 * 36);
    const digest = await digestOf('2026-W49');
    expect({
      job: digest.job,
      email: digest.email.status,
      failure: digest.email.failure,
      nextAttemptAt: digest.email.next_attempt_at,
      shownAs: digest.shownAs,
    }).toEqual({
      job: 'failed',
      email: 'failed',
      failure: 'unreachable',
      nextAttemptAt: null,
      shownAs: 'failed',
    });
  }, 180_000);
});
