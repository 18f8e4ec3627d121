import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { mailRetryDelay } from '../../src/modules/email/mail-retry.ts';
import { enqueueMany } from '../../src/platform/jobs/define-job.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { invitationSendJob } from '../../src/modules/invitations/invitations.jobs.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
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

  // Two invitations of one customer in one batch: the frequency rules judge the later one by the
  // earlier one as they would have job by job. An earlier one that is sent counts; one that the
  // batch cancelled (its survey was archived) does not.
  it("judges a customer's later invitation by the earlier one of the same batch, unless that one was cancelled", async () => {
    const org = owner.organisationId;
    const archived = await buildSurvey(t.db.kysely, org, { status: 'archived' });
    const now = t.clock.now;
    const customer = async (email: string) =>
      buildContact(t.db.kysely, org, { email, email_key: email, name: email });
    const cancelledFirst = await customer(`eerst-weg.${dialect}@batch.example.nl`);
    const sentFirst = await customer(`eerst-verstuurd.${dialect}@batch.example.nl`);
    const invitation = (contactId: string, survey: string, plannedAt: number) =>
      buildInvitation(
        t.db.kysely,
        { organisationId: org, surveyId: survey, contactId },
        {
          status: 'queued',
          planned_at: plannedAt,
          sent_at: null,
          expires_at: now + 30 * 86_400_000,
        },
      );
    const a1 = await invitation(cancelledFirst.id, archived.id, now - 2_000);
    const a2 = await invitation(cancelledFirst.id, surveyId, now - 1_000);
    const b1 = await invitation(sentFirst.id, surveyId, now - 2_000);
    const b2 = await invitation(sentFirst.id, surveyId, now - 1_000);
    await enqueueMany(
      t.db.kysely,
      invitationSendJob,
      [a1, a2, b1, b2].map((i) => ({
        payload: { invitationId: i.id },
        organisationId: org,
        now,
      })),
    );
    await startWorker(t.deps, { concurrency: 1 }, false).drain();

    const statuses = await t.db.kysely
      .selectFrom('invitations')
      .select(['id', 'status', 'skip_reason'])
      .where('id', 'in', [a1.id, a2.id, b1.id, b2.id])
      .execute();
    const of = (id: string) => statuses.find((r) => r.id === id);
    expect(of(a1.id)).toMatchObject({ status: 'cancelled', skip_reason: 'survey_archived' });
    expect(of(a2.id)?.status).toBe('sent');
    expect(of(b1.id)?.status).toBe('sent');
    expect(of(b2.id)?.status).toBe('skipped');
    const to = (address: string) =>
      smtp.received.filter((m) => m.envelopeTo.includes(address)).length;
    expect(to(cancelledFirst.email ?? '')).toBe(1);
    expect(to(sentFirst.email ?? '')).toBe(1);
  });

  // A send's reminders come due together and go out in batches too: each keeps its own fate.
  it('reminds each customer once, skips the one who unsubscribed meanwhile, and retries a busy mailbox alone', async () => {
    const segment = `herinnering-${dialect}`;
    const addresses = Array.from(
      { length: 5 },
      (_, i) => `herinner${i}.${dialect}@batch.example.nl`,
    );
    const [unsubscribed, busy] = addresses as [string, string];
    for (const [i, email] of addresses.entries()) {
      await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { name: `Klant ${i}`, email, segment },
      });
    }
    await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends`,
      payload: { selection: { kind: 'segment', segment }, schedule: { kind: 'now' } },
    });
    const worker = startWorker(t.deps, { concurrency: 1 }, false);
    await worker.drain();
    const to = (address: string) =>
      smtp.received.filter((m) => m.envelopeTo.includes(address)).length;
    for (const address of addresses) expect(to(address), address).toBe(1);

    const invitations = await t.db.kysely
      .selectFrom('invitations as i')
      .innerJoin('contacts as c', 'c.id', 'i.contact_id')
      .select(['i.id', 'c.id as contactId', 'c.email', 'i.reminder_planned_at'])
      .where('c.segment', '=', segment)
      .execute();
    const remindAt = Math.max(...invitations.map((i) => i.reminder_planned_at ?? 0));
    expect(remindAt).toBeGreaterThan(t.clock.now);
    await t.db.kysely
      .updateTable('contacts')
      .set({ unsubscribed_at: t.clock.now })
      .where('email', '=', unsubscribed)
      .execute();
    smtp.deferRecipients.add(busy);
    t.clock.now = remindAt + 1;
    await worker.drain();

    const remindedOf = async () =>
      new Map(
        (
          await t.db.kysely
            .selectFrom('invitations')
            .select(['id', 'reminder_sent_at'])
            .where(
              'id',
              'in',
              invitations.map((i) => i.id),
            )
            .execute()
        ).map((r) => [r.id, r.reminder_sent_at]),
      );
    let reminded = await remindedOf();
    for (const invitation of invitations) {
      const address = invitation.email ?? '';
      const waiting = address === unsubscribed || address === busy;
      expect(to(address), address).toBe(waiting ? 1 : 2);
      expect(reminded.get(invitation.id) !== null, address).toBe(!waiting);
    }
    const reminderJob = async (address: string) =>
      t.db.kysely
        .selectFrom('jobs')
        .select(['status', 'attempts', 'result'])
        .where('type', '=', 'invitation.remind')
        .where('payload', 'like', `%${invitations.find((i) => i.email === address)?.id ?? '-'}%`)
        .executeTakeFirstOrThrow();
    expect(await reminderJob(unsubscribed)).toMatchObject({ status: 'done', attempts: 1 });
    expect(JSON.parse((await reminderJob(unsubscribed)).result ?? '{}')).toMatchObject({
      status: 'skipped',
    });
    expect(await reminderJob(busy)).toMatchObject({ status: 'queued', attempts: 1 });

    smtp.deferRecipients.delete(busy);
    t.clock.now += mailRetryDelay(1);
    await worker.drain();
    reminded = await remindedOf();
    expect(to(busy)).toBe(2);
    expect(to(unsubscribed)).toBe(1);
    expect(reminded.get(invitations.find((i) => i.email === busy)?.id ?? '')).not.toBeNull();
    expect(await reminderJob(busy)).toMatchObject({ status: 'done', attempts: 2 });
  });

  // A batch composes its messages before it sends the first. What happens meanwhile counts: a
  // customer who unsubscribes (or is erased) while the batch is sending gets no mail, and a send
  // cancelled meanwhile sends no more.
  it('reads each customer again just before their message goes', async () => {
    const org = owner.organisationId;
    const now = t.clock.now;
    const addresses = Array.from(
      { length: 4 },
      (_, i) => `tussendoor${i}.${dialect}@batch.example.nl`,
    );
    const contacts: { id: string }[] = [];
    for (const email of addresses) {
      contacts.push(await buildContact(t.db.kysely, org, { email, email_key: email, name: email }));
    }
    const invitations: { id: string }[] = [];
    for (const [i, contact] of contacts.entries()) {
      invitations.push(
        await buildInvitation(
          t.db.kysely,
          { organisationId: org, surveyId, contactId: contact.id },
          {
            status: 'queued',
            planned_at: now - 10_000 + i,
            sent_at: null,
            expires_at: now + 30 * 86_400_000,
          },
        ),
      );
    }
    await enqueueMany(
      t.db.kysely,
      invitationSendJob,
      invitations.map((i, n) => ({
        payload: { invitationId: i.id },
        organisationId: org,
        now,
        runAt: now + n,
      })),
    );
    // While the first message is taken in: the last customer unsubscribes, and the third
    // invitation is cancelled.
    smtp.onReceived = async (mail) => {
      if (!mail.envelopeTo.includes(addresses[0] as string)) return;
      await t.db.kysely
        .updateTable('contacts')
        .set({ unsubscribed_at: now })
        .where('id', '=', contacts[3]?.id ?? '')
        .execute();
      await t.db.kysely
        .updateTable('invitations')
        .set({ status: 'cancelled' })
        .where('id', '=', invitations[2]?.id ?? '')
        .execute();
    };
    try {
      t.clock.now = now + 10;
      await startWorker(t.deps, { concurrency: 1 }, false).drain();
    } finally {
      smtp.onReceived = null;
    }
    const to = (address: string) =>
      smtp.received.filter((m) => m.envelopeTo.includes(address)).length;
    expect(addresses.map(to)).toEqual([1, 1, 0, 0]);
    const rows = await t.db.kysely
      .selectFrom('invitations')
      .select(['id', 'status', 'skip_reason'])
      .where(
        'id',
        'in',
        invitations.map((i) => i.id),
      )
      .execute();
    const of = (n: number) => rows.find((r) => r.id === invitations[n]?.id);
    expect(of(0)?.status).toBe('sent');
    expect(of(1)?.status).toBe('sent');
    expect(of(2)?.status).toBe('cancelled');
    expect(of(3)).toMatchObject({ status: 'skipped', skip_reason: 'unsubscribed' });
  });

  it('sends an invitation once when its job was enqueued twice into one batch', async () => {
    const org = owner.organisationId;
    const now = t.clock.now;
    const email = `dubbel.${dialect}@batch.example.nl`;
    const contact = await buildContact(t.db.kysely, org, { email, email_key: email, name: email });
    const invitation = await buildInvitation(
      t.db.kysely,
      { organisationId: org, surveyId, contactId: contact.id },
      { status: 'queued', planned_at: now - 1_000, sent_at: null, expires_at: now + 86_400_000 },
    );
    await enqueueMany(
      t.db.kysely,
      invitationSendJob,
      [0, 1].map(() => ({ payload: { invitationId: invitation.id }, organisationId: org, now })),
    );
    await startWorker(t.deps, { concurrency: 1 }, false).drain();
    expect(smtp.received.filter((m) => m.envelopeTo.includes(email))).toHaveLength(1);
  });

  // A message the server accepted is recorded sent at once; should its batch end before the
  // invitation is marked (the worker killed, the database gone for a moment), the retry records
  // the invitation without sending again and without asking the rules again: the customer may
  // have unsubscribed through that very message.
  it('records an invitation whose message went out as sent, though its customer unsubscribed since', async () => {
    const org = owner.organisationId;
    const now = t.clock.now;
    const email = `al-weg.${dialect}@batch.example.nl`;
    const contact = await buildContact(t.db.kysely, org, { email, email_key: email, name: email });
    const invitation = await buildInvitation(
      t.db.kysely,
      { organisationId: org, surveyId, contactId: contact.id },
      { status: 'queued', planned_at: now - 1_000, sent_at: null, expires_at: now + 86_400_000 },
    );
    await enqueueMany(t.db.kysely, invitationSendJob, [
      { payload: { invitationId: invitation.id }, organisationId: org, now },
    ]);
    // The customer unsubscribes through the message the moment it arrives.
    smtp.onReceived = async () => {
      await t.db.kysely
        .updateTable('contacts')
        .set({ unsubscribed_at: now })
        .where('id', '=', contact.id)
        .execute();
    };
    try {
      await startWorker(t.deps, { concurrency: 1 }, false).drain();
    } finally {
      smtp.onReceived = null;
    }
    expect(smtp.received.filter((m) => m.envelopeTo.includes(email))).toHaveLength(1);
    // Put the invitation back as a crash before the batch's end would have left it (its email
    // recorded sent, itself still queued), and run its job again.
    await t.db.kysely
      .updateTable('invitations')
      .set({ status: 'queued', sent_at: null, reminder_planned_at: null })
      .where('id', '=', invitation.id)
      .execute();
    await enqueueMany(t.db.kysely, invitationSendJob, [
      { payload: { invitationId: invitation.id }, organisationId: org, now: t.clock.now },
    ]);
    await startWorker(t.deps, { concurrency: 1 }, false).drain();
    expect(smtp.received.filter((m) => m.envelopeTo.includes(email))).toHaveLength(1);
    const row = await t.db.kysely
      .selectFrom('invitations')
      .select(['status', 'skip_reason'])
      .where('id', '=', invitation.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', skip_reason: null });
  });

  // An invitation that cannot be composed (here a contact row with a language no catalogue has,
  // written past the API's validation) fails its own job; the others of its batch go.
  it('sends the rest of a batch when one invitation cannot be composed', async () => {
    const org = owner.organisationId;
    const now = t.clock.now;
    const addresses = Array.from({ length: 3 }, (_, i) => `stuk${i}.${dialect}@batch.example.nl`);
    const invitations: { id: string }[] = [];
    for (const [i, email] of addresses.entries()) {
      const contact = await buildContact(t.db.kysely, org, {
        email,
        email_key: email,
        name: email,
      });
      if (i === 1) {
        await t.db.kysely
          .updateTable('contacts')
          .set({ language: 'xx' as never })
          .where('id', '=', contact.id)
          .execute();
      }
      invitations.push(
        await buildInvitation(
          t.db.kysely,
          { organisationId: org, surveyId, contactId: contact.id },
          {
            status: 'queued',
            planned_at: now - 1_000 + i,
            sent_at: null,
            expires_at: now + 86_400_000,
          },
        ),
      );
    }
    await enqueueMany(
      t.db.kysely,
      invitationSendJob,
      invitations.map((i) => ({ payload: { invitationId: i.id }, organisationId: org, now })),
    );
    await startWorker(t.deps, { concurrency: 1 }, false).drain();
    const to = (address: string) =>
      smtp.received.filter((m) => m.envelopeTo.includes(address)).length;
    expect(addresses.map(to)).toEqual([1, 0, 1]);
    const jobs = await t.db.kysely
      .selectFrom('jobs')
      .select(['payload', 'status', 'attempts'])
      .where('type', '=', 'invitation.send')
      .where(
        'payload',
        'in',
        invitations.map((i) => JSON.stringify({ invitationId: i.id })),
      )
      .execute();
    const jobOf = (n: number) => jobs.find((j) => j.payload.includes(invitations[n]?.id ?? '-'));
    expect(jobOf(0)).toMatchObject({ status: 'done', attempts: 1 });
    expect(jobOf(1)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(jobOf(2)).toMatchObject({ status: 'done', attempts: 1 });
  });
});
