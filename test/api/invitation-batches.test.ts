import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { mailRetryDelay } from '../../src/modules/email/mail-retry.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

/**
 * A send's invitations go out in batches (one slot sends up to 50 of an organisation's due
 * invitations): each invitation keeps its own fate. A busy mailbox (450 at RCPT) fails its own job
 * only, which is tried again on its back-off and then sent once; a refused mailbox (550) is a hard
 * bounce; the others are sent once each, marked sent with a reminder planned, and their loyalty
 * facts refreshed from the batch's `invitation.sent` events.
 */
describeEachDialect('a send in batches', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let smtp: TestSmtpServer;
  let surveyId: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: 'https://nps.example.nl',
    });
    owner = await buildOrganisation(t);
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    surveyId = res.json<{ id: string }>().id;
  });
  afterAll(async () => {
    closeMailTransports();
    await smtp.close();
    await t.close();
  });

  it('sends each invitation once, and a busy or refused mailbox changes only its own invitation', async () => {
    const segment = `batch-${dialect}`;
    const addresses = Array.from({ length: 12 }, (_, i) => `klant${i}.${dialect}@batch.example.nl`);
    const busy = addresses[4] as string;
    const refused = addresses[7] as string;
    for (const [i, email] of addresses.entries()) {
      const res = await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { name: `Klant ${i}`, email, segment },
      });
      expect(res.statusCode).toBe(201);
    }
    smtp.deferRecipients.add(busy);
    smtp.rejectRecipients.add(refused);
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends`,
      payload: { selection: { kind: 'segment', segment }, schedule: { kind: 'now' } },
    });
    expect(send.statusCode).toBe(201);
    const worker = startWorker(t.deps, { concurrency: 1 }, false);
    await worker.drain();

    const to = (address: string) =>
      smtp.received.filter((m) => m.envelopeTo.includes(address)).length;
    for (const address of addresses) {
      expect(to(address), address).toBe(address === busy || address === refused ? 0 : 1);
    }
    const rows = await t.db.kysely
      .selectFrom('invitations as i')
      .innerJoin('contacts as c', 'c.id', 'i.contact_id')
      .select([
        'i.id',
        'c.id as contactId',
        'c.email',
        'i.status',
        'i.skip_reason',
        'i.reminder_planned_at',
      ])
      .where('c.segment', '=', segment)
      .execute();
    expect(rows).toHaveLength(12);
    const of = (address: string) => rows.find((r) => r.email === address);
    const jobOf = async (invitationId: string) =>
      t.db.kysely
        .selectFrom('jobs')
        .select(['status', 'attempts', 'last_error'])
        .where('type', '=', 'invitation.send')
        .where('payload', 'like', `%${invitationId}%`)
        .executeTakeFirstOrThrow();
    const sent = rows.filter((r) => r.email !== busy && r.email !== refused);
    for (const row of sent) {
      expect(row.status, row.email ?? '').toBe('sent');
      expect(row.reminder_planned_at).not.toBeNull();
      expect(await jobOf(row.id)).toMatchObject({ status: 'done', attempts: 1 });
    }
    expect(of(refused)?.status).toBe('bounced');
    expect(await jobOf(of(refused)?.id ?? '')).toMatchObject({ status: 'done' });
    expect(of(busy)?.status).toBe('queued');
    const busyJob = await jobOf(of(busy)?.id ?? '');
    expect(busyJob).toMatchObject({ status: 'queued', attempts: 1 });
    expect(busyJob.last_error).toContain('450');

    // One reminder per sent invitation, and the sent ones' facts: each a non-respondent since now.
    const reminders = await t.db.kysely
      .selectFrom('jobs')
      .select('payload')
      .where('type', '=', 'invitation.remind')
      .execute();
    for (const row of sent) {
      expect(reminders.filter((r) => r.payload.includes(row.id))).toHaveLength(1);
    }
    const facts = await t.db.kysely
      .selectFrom('loyalty_contact_facts')
      .select(['contact_id', 'category'])
      .where(
        'contact_id',
        'in',
        sent.map((r) => r.contactId),
      )
      .execute();
    expect(facts).toHaveLength(sent.length);
    for (const fact of facts) expect(fact.category).toBe('non_respondent');

    // The busy mailbox takes mail again: its invitation alone is tried again, and sent once.
    smtp.deferRecipients.delete(busy);
    smtp.rejectRecipients.delete(refused);
    t.clock.now += mailRetryDelay(1);
    const received = smtp.received.length;
    await worker.drain();
    expect(smtp.received.length).toBe(received + 1);
    expect(to(busy)).toBe(1);
    expect(await jobOf(of(busy)?.id ?? '')).toMatchObject({ status: 'done', attempts: 2 });
    for (const address of addresses) {
      expect(to(address), address).toBe(address === refused ? 0 : 1);
    }
  });
});
