import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import {
  enrolPromoter,
  referFriend,
  setUpProgramme,
  withWelcomeOffer,
} from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { freePort } from '../support/pg-cluster.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const DAY = 86_400_000;

type OutboxItem = {
  kind: string;
  to: string;
  status: string;
  error: string | null;
  failure: string | null;
  retryable: boolean;
};

/**
 * A friend's welcome offer is a voucher with an end date. The job that mails it checked only that
 * the voucher was `issued`, so a job that ran after the voucher's last day (a worker that was down,
 * a mail server that failed until then) mailed the friend a code the till refuses. It must skip,
 * and say why on the email an earlier attempt composed, without offering to try again.
 */
describeEachDialect('a friend’s welcome offer whose voucher expired', (dialect) => {
  let t: TestApp;
  let port: number;
  let smtp: TestSmtpServer | null = null;

  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp(dialect, {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: 'https://nps.garage.test',
      // The owner reads the outbox six weeks on, still signed in.
      SESSION_DAYS: '90',
    });
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
  const serverUp = async () => {
    smtp = await startSmtpServer(port);
    return smtp;
  };
  const welcomeJobs = async (owner: Client) =>
    (
      await t.db.kysely
        .selectFrom('jobs')
        .select(['status', 'result'])
        .where('organisation_id', '=', owner.organisationId)
        .where('type', '=', 'ambassadors.friend-welcome')
        .execute()
    ).map((j) => ({
      status: j.status,
      result: j.result ? (JSON.parse(j.result) as unknown) : null,
    }));
  const welcomes = async (owner: Client) =>
    (await owner.request({ url: '/api/v1/outbox' }))
      .json<{ items: OutboxItem[] }>()
      .items.filter((e) => e.kind === 'friend_welcome')
      .map(({ to, status, error, failure, retryable }) => ({
        to,
        status,
        error,
        failure,
        retryable,
      }));
  const friendOf = async (name: string) => {
    const owner = await buildOrganisation(t, name);
    await setUpProgramme(owner, withWelcomeOffer(1));
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const ambassador = await enrolPromoter(
      t,
      { organisationId: owner.organisationId, surveyId: survey.id },
      { email: `piet@${name.toLowerCase().replace(/\W+/g, '')}.nl` },
    );
    return { owner, ambassador };
  };

  it('does not mail a voucher that expired before its job ran', async () => {
    t.clock.now = Date.UTC(2026, 2, 2, 9);
    const { owner, ambassador } = await friendOf('Garage Laat');
    await referFriend(t, ambassador, { name: 'Karin Bakker', email: 'karin@laat.nl' });
    // The worker comes back after six weeks: the one-month voucher has expired.
    t.clock.now += 42 * DAY;
    const server = await serverUp();
    await drain();
    expect(server.received.filter((m) => m.envelopeTo.includes('karin@laat.nl'))).toEqual([]);
    expect(await welcomeJobs(owner)).toEqual([
      { status: 'done', result: { status: 'skipped', detail: 'welcome offer expired' } },
    ]);
    expect(await welcomes(owner)).toEqual([]);
  });

  it('closes the welcome an earlier attempt composed once its voucher expired', async () => {
    t.clock.now = Date.UTC(2026, 2, 2, 9);
    const { owner, ambassador } = await friendOf('Garage Storing');
    await referFriend(t, ambassador, { name: 'Joris Smit', email: 'joris@storing.nl' });
    await drain(); // the mail server is down: composed, waiting for the next attempt
    expect(await welcomes(owner)).toEqual([
      {
        to: 'joris@storing.nl',
        status: 'queued',
        error: expect.any(String) as unknown,
        failure: 'unreachable',
        retryable: expect.any(Boolean) as unknown,
      },
    ]);
    t.clock.now += 42 * DAY;
    const server = await serverUp();
    await drain();
    expect(server.received.filter((m) => m.envelopeTo.includes('joris@storing.nl'))).toEqual([]);
    expect(await welcomes(owner)).toEqual([
      {
        to: 'joris@storing.nl',
        status: 'failed',
        error: 'skipped: welcome offer expired',
        failure: null,
        retryable: false,
      },
    ]);
  });
});
