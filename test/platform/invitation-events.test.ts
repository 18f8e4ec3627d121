import { afterAll, beforeAll, expect, it } from 'vitest';
import { invitationSent } from '../../src/modules/invitations/invitations.events.ts';
import { defineModule } from '../../src/platform/define-module.ts';
import { inTransaction, type EventEnvelope } from '../../src/platform/events/define-event.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { describeEachDialect } from '../support/databases.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { buildContact, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

type Sent = EventEnvelope<{
  invitationId: string;
  contactId: string;
  kind: 'invitation' | 'reminder';
  transport: 'smtp' | 'outbox';
}>;
const seen: Sent[] = [];
const probe = defineModule({
  name: 'test-invitation-probe',
  subscribers: [
    inTransaction(invitationSent, 'test-invitation-probe.sent', async (_trx, events) => {
      seen.push(...events);
    }),
  ],
});

describeEachDialect('invitation.sent, the event after the mail server took it', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, { SMTP_URL: smtp.url }, { extraModules: [probe] });
    owner = await buildOrganisation(t);
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  it('comes once per invitation and once per reminder, saying where the mail went', async () => {
    seen.length = 0;
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const contact = await buildContact(t.db.kysely, owner.organisationId, { segment: 'ev' });
    const res = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${survey.id}/sends`,
      payload: { selection: { kind: 'segment', segment: 'ev' }, schedule: { kind: 'now' } },
    });
    expect(res.statusCode).toBe(201);
    const worker = startWorker(t.deps, { concurrency: 2 }, false);
    await worker.drain();
    await worker.drain();
    expect(seen.map((e) => [e.data.kind, e.data.transport, e.data.contactId])).toEqual([
      ['invitation', 'smtp', contact.id],
    ]);
    // The reminder comes after the organisation's reminder delay (five days by default).
    t.clock.now += 6 * 24 * 60 * 60 * 1000;
    await worker.drain();
    expect(seen.map((e) => e.data.kind)).toEqual(['invitation', 'reminder']);
    expect(new Set(seen.map((e) => e.data.invitationId)).size).toBe(1);
  });

  it('is not emitted for mail that only reached the local outbox', async () => {
    const bare = await startTestApp(dialect, {}, { extraModules: [probe] });
    try {
      seen.length = 0;
      const client = await buildOrganisation(bare);
      const survey = await buildSurvey(bare.db.kysely, client.organisationId);
      await buildContact(bare.db.kysely, client.organisationId);
      await client.request({
        method: 'POST',
        url: `/api/v1/surveys/${survey.id}/sends`,
        payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
      });
      await startWorker(bare.deps, { concurrency: 1 }, false).drain();
      expect(seen).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});
