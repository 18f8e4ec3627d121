import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { answerMayContact, askForReviewsByEmail } from '../support/reviews.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const HOUR = 3_600_000;
const SECRET = 'bounce-secret-0123456789abcdef';

/**
 * A review request (customer mail of no invitation) that bounces hard or is marked as spam: the
 * contact is suppressed as after an invitation's bounce, so no later NPS invitation goes to a
 * person who complained — whether the complaint comes by the bounce webhook or the mail server
 * refuses the address outright.
 */
describeEachDialect('a bounce or complaint on a review request', (dialect) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <nps@loyaal.test>',
      BOUNCE_WEBHOOK_SECRET: SECRET,
    });
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  it.each(['complaint', 'refused'])('suppresses the contact (%s)', async (how) => {
    const owner = await buildOrganisation(t, `Garage ${how}`);
    await askForReviewsByEmail(owner);
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const address = `anna.${how}@klant.nl`;
    const contact = await answerMayContact(
      t,
      { organisationId: owner.organisationId, surveyId: survey.id },
      { email: address, first_name: 'Anna' },
      4,
    );
    if (how === 'refused') smtp.rejectRecipients.add(address);
    t.clock.now += 2 * HOUR;
    await drain();
    const email = await t.db.kysely
      .selectFrom('emails')
      .select(['message_id', 'kind'])
      .where('to_address', '=', address)
      .where('kind', '=', 'review_request')
      .executeTakeFirstOrThrow();
    if (how === 'complaint') {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks/bounces',
        headers: { authorization: `Bearer ${SECRET}` },
        payload: { type: 'complaint', messageId: email.message_id },
      });
      expect(res.json()).toEqual({ result: 'suppressed' });
    }
    const row = await t.db.kysely
      .selectFrom('contacts')
      .select('bounced_at')
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(row.bounced_at).not.toBeNull();
    const events = await t.db.kysely
      .selectFrom('consent_events')
      .select('kind')
      .where('contact_id', '=', contact.id)
      .execute();
    expect(events.map((e) => e.kind)).toContain(how === 'complaint' ? 'complained' : 'bounced');
  });
});
