import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const DAY = 86_400_000;

/**
 * A survey archived, or set back to draft, after its invitations were planned or went out: its
 * links now say the survey is closed, so the invitations and reminders still to go are not sent.
 */
describeEachDialect('reminders of an archived survey', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let owner: Client;
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: 'https://nps.garage.test',
    });
    t.clock.now = Date.parse('2026-11-25T10:00+01:00');
    owner = await buildOrganisation(t, 'Garage De Vries');
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  it.each(['archived', 'draft'])('are not sent once the survey is %s', async (status) => {
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'Seizoen', status: 'active' },
    });
    const surveyId = survey.json<{ id: string }>().id;
    const contact = await buildContact(t.db.kysely, owner.organisationId, {
      name: 'Kees',
      email: `kees.${status}@example.nl`,
    });
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends`,
      payload: {
        selection: { kind: 'contacts', contactIds: [contact.id] },
        schedule: { kind: 'now' },
      },
    });
    expect(send.statusCode, send.body).toBeLessThan(300);
    await drain();
    const invitation = await t.db.kysely
      .selectFrom('invitations')
      .select(['id', 'status'])
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(invitation.status).toBe('sent');
    const archived = await owner.request({
      method: 'PATCH',
      url: `/api/v1/surveys/${surveyId}`,
      payload: { status },
    });
    expect(archived.statusCode, archived.body).toBe(200);
    const before = smtp.received.length;
    t.clock.now += 6 * DAY;
    await drain();
    expect(smtp.received.slice(before).map((m) => m.envelopeTo)).toEqual([]);
    const reminders = await t.db.kysely
      .selectFrom('emails')
      .select('status')
      .where('invitation_id', '=', invitation.id)
      .where('kind', '=', 'reminder')
      .execute();
    expect(reminders.map((r) => r.status)).not.toContain('sent');
    const after = await t.db.kysely
      .selectFrom('invitations')
      .select('reminder_sent_at')
      .where('id', '=', invitation.id)
      .executeTakeFirstOrThrow();
    expect(after.reminder_sent_at).toBeNull();
  });

  it('planned invitations are not sent once the survey is set back to draft', async () => {
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'Seizoen', status: 'active' },
    });
    const surveyId = survey.json<{ id: string }>().id;
    const contact = await buildContact(t.db.kysely, owner.organisationId, {
      name: 'Kees',
      email: 'kees.gepland@example.nl',
    });
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends`,
      payload: {
        selection: { kind: 'contacts', contactIds: [contact.id] },
        schedule: {
          kind: 'waves',
          start: new Date(t.clock.now + 3 * DAY).toISOString(),
          end: new Date(t.clock.now + 4 * DAY).toISOString(),
          waves: 1,
        },
      },
    });
    expect(send.statusCode, send.body).toBeLessThan(300);
    const draft = await owner.request({
      method: 'PATCH',
      url: `/api/v1/surveys/${surveyId}`,
      payload: { status: 'draft' },
    });
    expect(draft.statusCode, draft.body).toBe(200);
    const before = smtp.received.length;
    t.clock.now += 5 * DAY;
    await drain();
    expect(smtp.received.slice(before).map((m) => m.envelopeTo)).toEqual([]);
    const invitation = await t.db.kysely
      .selectFrom('invitations')
      .select(['status', 'skip_reason'])
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(invitation).toEqual({ status: 'cancelled', skip_reason: 'survey_draft' });
  });
});
