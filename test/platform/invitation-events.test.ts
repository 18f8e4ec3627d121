import { afterAll, beforeAll, expect, it } from 'vitest';
import { invitationSent } from '../../src/modules/invitations/invitations.events.ts';
import { defineModule } from '../../src/platform/define-module.ts';
import { inTransaction, type EventEnvelope } from '../../src/platform/events/define-event.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
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

describeEachDialect(
  'invitation.sent, the event after the mail server (or outbox) took it',
  (dialect) => {
    let t: TestApp;
    let owner: Client;
    beforeAll(async () => {
      t = await startTestApp(dialect, {}, { extraModules: [probe] });
      owner = await buildOrganisation(t);
    });
    afterAll(async () => t.close());

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
        ['invitation', 'outbox', contact.id],
      ]);
      // The reminder comes after the organisation's reminder delay (five days by default).
      t.clock.now += 6 * 24 * 60 * 60 * 1000;
      await worker.drain();
      expect(seen.map((e) => e.data.kind)).toEqual(['invitation', 'reminder']);
      expect(new Set(seen.map((e) => e.data.invitationId)).size).toBe(1);
    });
  },
);
