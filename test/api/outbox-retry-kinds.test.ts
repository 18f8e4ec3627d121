import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { EmailTable } from '../../src/db/schema.ts';
import { queuedEmail } from '../../src/modules/email/deliver-mail.ts';
import { insertEmailIfAbsent } from '../../src/modules/email/emails.repository.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import {
  enrolPromoter,
  referFriend,
  setUpProgramme,
  withWelcomeOffer,
} from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { answerMayContact, askForReviewsByEmail } from '../support/reviews.ts';
import { buildSurvey } from '../support/factories.ts';
import {
  buildOrganisation,
  digestByRoleDefault,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { freePort } from '../support/pg-cluster.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (local: string) => Date.parse(local);

type OutboxItem = {
  id: string;
  kind: string;
  to: string;
  status: string;
  error: string | null;
  failure: string | null;
  retryable: boolean;
};

/**
 * "Try again" in the outbox for more than invitations, decided per kind by the module that sends
 * the mail (registered with the email module): a weekly digest (only the latest week's), the
 * programme invitation, a friend's welcome offer (only while its voucher is valid) and a review
 * request — never a case alert or a test mail. A retried mail whose job then decides against it
 * (the customer unsubscribed meanwhile) is closed and offers no retry any more.
 */
describeEachDialect('trying customer and staff mail again from the outbox', (dialect) => {
  let t: TestApp;
  let port: number;
  let smtp: TestSmtpServer | null = null;

  beforeAll(async () => {
    port = await freePort();
    t = await startTestApp(dialect, {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: 'https://nps.garage.test',
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
  /** The worker running every eight hours until every mail job has used its last attempt. */
  const untilGivenUp = async () => {
    for (let i = 0; i < 12; i++) {
      await drain();
      t.clock.now += 8 * HOUR;
    }
    await drain();
  };
  const serverUp = async () => {
    smtp = await startSmtpServer(port);
    return smtp;
  };
  const outboxOf = async (owner: Client, kind: string) =>
    (await owner.request({ url: `/api/v1/outbox?kind=${kind}` })).json<{ items: OutboxItem[] }>()
      .items;
  const retry = (owner: Client, id: string) =>
    owner.request({ method: 'POST', url: `/api/v1/outbox/${id}/retry` });
  const receivedBy = (server: TestSmtpServer, address: string) =>
    server.received.filter((m) => m.envelopeTo.includes(address)).length;

  it('sends a friend’s welcome offer again while its voucher is valid, not after', async () => {
    t.clock.now = Date.UTC(2026, 2, 2, 9);
    const owner = await buildOrganisation(t, 'Garage Welkom');
    await setUpProgramme(owner, withWelcomeOffer(1));
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const ambassador = await enrolPromoter(
      t,
      { organisationId: owner.organisationId, surveyId: survey.id },
      { email: 'piet@welkom.nl' },
    );
    await referFriend(t, ambassador, { name: 'Karin Bakker', email: 'karin@welkom.nl' });
    await referFriend(t, ambassador, { name: 'Joris Smit', email: 'joris@welkom.nl' });
    await untilGivenUp();
    const given = await outboxOf(owner, 'friend_welcome');
    expect(given.map((e) => [e.status, e.failure, e.retryable])).toEqual([
      ['failed', 'unreachable', true],
      ['failed', 'unreachable', true],
    ]);
    const karin = given.find((e) => e.to === 'karin@welkom.nl');
    const server = await serverUp();
    const res = await retry(owner, karin?.id ?? '');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<OutboxItem>()).toMatchObject({ status: 'queued', retryable: true });
    await drain();
    expect(receivedBy(server, 'karin@welkom.nl')).toBe(1);
    expect((await outboxOf(owner, 'friend_welcome')).find((e) => e.id === karin?.id)).toMatchObject(
      { status: 'sent', retryable: false },
    );
    // Six weeks on, Joris's one-month voucher has expired: no "try again" for his offer.
    t.clock.now += 42 * DAY;
    const joris = (await outboxOf(owner, 'friend_welcome')).find((e) => e.to === 'joris@welkom.nl');
    expect(joris).toMatchObject({ status: 'failed', retryable: false });
    const refused = await retry(owner, joris?.id ?? '');
    expect(refused.statusCode).toBe(409);
    await drain();
    expect(receivedBy(server, 'joris@welkom.nl')).toBe(0);
  }, 120_000);

  it('sends the programme invitation again', async () => {
    t.clock.now = Date.UTC(2026, 2, 2, 9);
    const owner = await buildOrganisation(t, 'Garage Programma');
    await setUpProgramme(owner);
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    await enrolPromoter(
      t,
      { organisationId: owner.organisationId, surveyId: survey.id },
      { email: 'jan@programma.nl' },
    );
    await untilGivenUp();
    const [invite] = await outboxOf(owner, 'ambassador_invite');
    expect(invite).toMatchObject({ status: 'failed', failure: 'unreachable', retryable: true });
    const server = await serverUp();
    expect((await retry(owner, invite?.id ?? '')).statusCode).toBe(200);
    await drain();
    expect(receivedBy(server, 'jan@programma.nl')).toBe(1);
    expect(await outboxOf(owner, 'ambassador_invite')).toMatchObject([
      { id: invite?.id, status: 'sent', retryable: false },
    ]);
  }, 120_000);

  it('sends the latest week’s digest again, not an earlier week’s', async () => {
    t.clock.now = at('2026-11-29T12:00+01:00');
    const owner = await buildOrganisation(t, 'Garage Digest');
    await digestByRoleDefault(t, owner.organisationId);
    t.clock.now = at('2026-11-30T07:05+01:00'); // Monday: the digest of week 48
    await untilGivenUp();
    const [digest] = await outboxOf(owner, 'weekly_digest');
    expect(digest).toMatchObject({ status: 'failed', failure: 'unreachable', retryable: true });
    const server = await serverUp();
    expect((await retry(owner, digest?.id ?? '')).statusCode).toBe(200);
    await drain();
    expect(receivedBy(server, digest?.to ?? '')).toBe(1);
    expect((await outboxOf(owner, 'weekly_digest'))[0]).toMatchObject({
      id: digest?.id,
      status: 'sent',
      retryable: false,
    });

    // The next Monday's digest fails too; once the one after is due, it is no longer the latest.
    await server.close();
    smtp = null;
    closeMailTransports();
    t.clock.now = at('2026-12-07T07:05+01:00');
    await untilGivenUp();
    const [week49] = await outboxOf(owner, 'weekly_digest');
    expect(week49).toMatchObject({ status: 'failed', retryable: true });
    t.clock.now = at('2026-12-14T06:00+01:00'); // before the sweep: week 50 is the latest now
    const stale = (await outboxOf(owner, 'weekly_digest')).find((e) => e.id === week49?.id);
    expect(stale).toMatchObject({ status: 'failed', retryable: false });
    expect((await retry(owner, week49?.id ?? '')).statusCode).toBe(409);
  }, 180_000);

  it('closes a retried review request whose customer unsubscribed meanwhile', async () => {
    t.clock.now = Date.UTC(2026, 2, 2, 9);
    const owner = await buildOrganisation(t, 'Garage Review');
    await askForReviewsByEmail(owner, 'https://g.page/r/garage/review');
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    for (const name of ['anna', 'bram']) {
      await answerMayContact(
        t,
        { organisationId: owner.organisationId, surveyId: survey.id },
        { email: `${name}@review.nl`, first_name: name },
        9,
      );
    }
    t.clock.now += 2 * HOUR;
    await untilGivenUp();
    const given = await outboxOf(owner, 'review_request');
    expect(given.map((e) => [e.status, e.retryable])).toEqual([
      ['failed', true],
      ['failed', true],
    ]);
    // Anna unsubscribes from review requests (the link in the request) before it is tried again.
    const anna = given.find((e) => e.to === 'anna@review.nl');
    const bram = given.find((e) => e.to === 'bram@review.nl');
    const { token } = await t.db.kysely
      .selectFrom('review_requests')
      .select('token')
      .where('organisation_id', '=', owner.organisationId)
      .where('message_id', '=', (await messageIdOf(anna?.id ?? '')) ?? '')
      .executeTakeFirstOrThrow();
    expect((await t.app.inject({ method: 'POST', url: `/rv/${token}` })).statusCode).toBe(200);
    const server = await serverUp();
    expect((await retry(owner, anna?.id ?? '')).statusCode).toBe(200);
    expect((await retry(owner, bram?.id ?? '')).statusCode).toBe(200);
    await drain();
    expect(receivedBy(server, 'anna@review.nl')).toBe(0);
    expect(receivedBy(server, 'bram@review.nl')).toBe(1);
    const after = await outboxOf(owner, 'review_request');
    expect(after.find((e) => e.id === anna?.id)).toMatchObject({
      status: 'failed',
      failure: null,
      retryable: false,
    });
    expect(after.find((e) => e.id === anna?.id)?.error).toMatch(/^skipped: /);
    expect(after.find((e) => e.id === bram?.id)).toMatchObject({ status: 'sent' });
    expect((await retry(owner, anna?.id ?? '')).statusCode).toBe(409);
  }, 120_000);

  it('never offers a case alert or a test mail again', async () => {
    t.clock.now = Date.UTC(2026, 2, 2, 9);
    const owner = await buildOrganisation(t, 'Garage Alarm');
    const kinds: EmailTable['kind'][] = ['case_alert', 'case_escalation', 'test'];
    for (const [i, kind] of kinds.entries()) {
      const row = queuedEmail(
        {
          organisationId: owner.organisationId,
          kind,
          to: 'owner@alarm.nl',
          subject: `Mislukt ${kind}`,
          text: 'Tekst',
          html: '<p>Tekst</p>',
          headers: {},
          messageId: `<retry-kinds-${i}@nps.garage.test>`,
          placedAt: t.clock.now,
          transport: 'smtp',
        },
        t.clock.now,
      );
      await insertEmailIfAbsent(t.db.kysely, {
        ...row,
        status: 'failed',
        failure: 'unreachable',
        error: 'connect ECONNREFUSED',
      });
    }
    for (const kind of kinds) {
      const [mail] = await outboxOf(owner, kind);
      expect(mail).toMatchObject({ status: 'failed', failure: 'unreachable', retryable: false });
      expect((await retry(owner, mail?.id ?? '')).statusCode).toBe(409);
    }
  });

  async function messageIdOf(emailId: string): Promise<string | null> {
    const row = await t.db.kysely
      .selectFrom('emails')
      .select('message_id')
      .where('id', '=', emailId)
      .executeTakeFirst();
    return row?.message_id ?? null;
  }
});
