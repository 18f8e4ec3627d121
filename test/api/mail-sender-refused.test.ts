import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const HOUR = 3_600_000;

/**
 * A mail server that refuses the sender address (`553 5.7.1 sender address rejected` at MAIL
 * FROM: the organisation's settings name an address the server will not send for) refuses every
 * message alike. It says nothing of the customer's address: nobody is suppressed, and the mail
 * waits and is tried again, as after a refused login, while the outbox says why.
 */
describeEachDialect('a mail server that refuses the sender address', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: 'https://nps.garage.test',
    });
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  it('suppresses no customer, and sends once the server takes the sender again', async () => {
    const owner = await buildOrganisation(t, 'Garage Afzender');
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    const contact = await buildContact(t.db.kysely, owner.organisationId, {
      name: 'Sanne de Boer',
      email: 'sanne@example.nl',
    });
    smtp.rejectSenders.add('noreply@loyaal.test');
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${survey.json<{ id: string }>().id}/sends`,
      payload: {
        selection: { kind: 'contacts', contactIds: [contact.id] },
        schedule: { kind: 'now' },
      },
    });
    expect(send.statusCode, send.body).toBeLessThan(300);
    await drain();
    const invitation = () =>
      t.db.kysely
        .selectFrom('invitations')
        .select(['id', 'status'])
        .where('contact_id', '=', contact.id)
        .executeTakeFirstOrThrow();
    const email = async () =>
      t.db.kysely
        .selectFrom('emails')
        .select(['status', 'failure', 'error', 'next_attempt_at'])
        .where('invitation_id', '=', (await invitation()).id)
        .executeTakeFirstOrThrow();
    const contactRow = await t.db.kysely
      .selectFrom('contacts')
      .select('bounced_at')
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(contactRow.bounced_at).toBeNull();
    expect((await invitation()).status).toBe('queued');
    expect(await email()).toMatchObject({ status: 'queued', failure: 'sender' });
    expect((await email()).error).toContain('553');

    smtp.rejectSenders.clear();
    t.clock.now += HOUR;
    await drain();
    expect((await invitation()).status).toBe('sent');
    expect(smtp.received.filter((m) => m.envelopeTo.includes('sanne@example.nl'))).toHaveLength(1);
  });
});
