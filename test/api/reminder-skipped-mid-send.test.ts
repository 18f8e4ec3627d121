import { afterAll, beforeAll, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/contact-rules/contact-rules.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { deliverReminder } from '../../src/modules/invitations/invitation-delivery.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildOrganisation,
  startMailingTestApp,
  type Client,
  type MailingTestApp,
} from '../support/harness.ts';
import { impatient, type TestSmtpServer } from '../support/smtp-server.ts';

/**
 * A reminder whose first attempt composed its email and then never learned the outcome (the mail
 * server hung after taking the message, or the worker died mid-send) leaves that email `queued`,
 * waiting for the next attempt. When the next attempt decides not to send after all — the customer
 * answered or unsubscribed meanwhile, the link expired, there is no mail server any more — it used
 * to return early and leave the row `queued` forever: the outbox showed a reminder "waiting" that
 * nothing would ever send, and offered to try it again. It is closed as failed, with the reason and
 * without a retry; a reminder that was sent is never touched.
 */
describeEachDialect('a reminder skipped after an attempt composed its email', (dialect) => {
  let smtp: TestSmtpServer;
  let t: MailingTestApp;

  beforeAll(async () => {
    t = await startMailingTestApp(dialect);
    smtp = t.smtp;
  });
  afterAll(async () => t?.close());

  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  /**
   * An organisation whose one invitation was sent, five days on, with a reminder attempt that
   * composed the reminder and lost the mail server's answer (its email stays `queued`).
   */
  async function reminderLeftQueued(name: string) {
    const owner = await buildOrganisation(t, name);
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    const contact = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Sanne de Boer', email: `sanne-${owner.organisationId}@example.nl` },
    });
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${survey.json<{ id: string }>().id}/sends`,
      payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
    });
    expect(send.statusCode, send.body).toBe(201);
    await drain();
    const invitation = await t.db.kysely
      .selectFrom('invitations')
      .select(['id', 'token', 'status', 'expires_at'])
      .where('organisation_id', '=', owner.organisationId)
      .executeTakeFirstOrThrow();
    expect(invitation.status).toBe('sent');

    t.clock.now += 5 * DAY_MS + 60_000;
    smtp.received.length = 0;
    try {
      smtp.stallAfterData = true;
      await expect(
        deliverReminder(impatient(t.deps), owner.organisationId, invitation.id, 1),
      ).rejects.toThrow();
    } finally {
      smtp.stallAfterData = false;
    }
    const email = await reminderEmail(owner);
    expect(email.status).toBe('queued');
    return { owner, invitation, contactId: contact.json<{ id: string }>().id };
  }

  const reminderEmail = (owner: Client) =>
    t.db.kysely
      .selectFrom('emails')
      .select(['id', 'status', 'error', 'failure', 'next_attempt_at', 'sent_at'])
      .where('organisation_id', '=', owner.organisationId)
      .where('kind', '=', 'reminder')
      .executeTakeFirstOrThrow();

  /** The reminder email is failed with the reason, and the outbox offers no retry. */
  async function expectClosed(owner: Client, reason: string) {
    const email = await reminderEmail(owner);
    expect(email).toEqual({
      id: email.id,
      status: 'failed',
      error: `skipped: ${reason}`,
      failure: null,
      next_attempt_at: null,
      sent_at: null,
    });
    const outbox = await owner.request({ method: 'GET', url: '/api/v1/outbox' });
    const listed = outbox
      .json<{ items: { id: string; status: string; retryable: boolean }[] }>()
      .items.find((i) => i.id === email.id);
    expect(listed).toMatchObject({ status: 'failed', retryable: false });
    expect(smtp.received).toHaveLength(0);
  }

  it('the customer answered meanwhile: the next attempt closes the queued reminder', async () => {
    const { owner, invitation } = await reminderLeftQueued('Garage Beantwoord');
    const res = await t.app.inject({
      method: 'POST',
      url: `/r/${invitation.token}`,
      headers: { 'content-type': 'application/json' },
      payload: { score: 9 },
    });
    expect(res.statusCode, res.body).toBe(200);
    t.clock.now += 3_600_000;
    await drain();
    await expectClosed(owner, 'responded');
  });

  it('the customer unsubscribed meanwhile: the next attempt closes the queued reminder', async () => {
    const { owner, contactId } = await reminderLeftQueued('Garage Afgemeld');
    const res = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${contactId}/unsubscribe`,
    });
    expect(res.statusCode, res.body).toBe(200);
    t.clock.now += 3_600_000;
    await drain();
    const email = await reminderEmail(owner);
    expect(email.error).toMatch(/^skipped: .*unsubscribed/);
    await expectClosed(owner, email.error?.slice('skipped: '.length) ?? '');
  });

  it('the link expired meanwhile: the next attempt closes the queued reminder', async () => {
    const { owner, invitation } = await reminderLeftQueued('Garage Verlopen');
    const saved = t.clock.now;
    try {
      t.clock.now = invitation.expires_at + 1;
      await drain();
    } finally {
      // Back to a time when the owner's session is still valid, to read the outbox.
      t.clock.now = saved;
    }
    await expectClosed(owner, 'expired');
  });

  it('no mail server any more: the next attempt closes the queued reminder', async () => {
    const { owner, invitation } = await reminderLeftQueued('Garage Zonder Server');
    const withoutServer = { ...t.deps, config: { ...t.deps.config, SMTP_URL: undefined } };
    await expect(
      deliverReminder(withoutServer, owner.organisationId, invitation.id, 2),
    ).resolves.toEqual({ status: 'skipped', detail: 'no mail server: reminder not sent' });
    await expectClosed(owner, 'no mail server: reminder not sent');
  });

  it('a reminder that was sent is never touched by a later attempt that skips', async () => {
    const { owner, invitation } = await reminderLeftQueued('Garage Verzonden');
    t.clock.now += 3_600_000;
    await drain();
    const sent = await reminderEmail(owner);
    expect(sent).toMatchObject({ status: 'sent', error: null });
    expect(smtp.received).toHaveLength(1);

    t.clock.now += 3_600_000;
    await expect(deliverReminder(t.deps, owner.organisationId, invitation.id, 1)).resolves.toEqual({
      status: 'skipped',
      detail: 'already_reminded',
    });
    const withoutServer = { ...t.deps, config: { ...t.deps.config, SMTP_URL: undefined } };
    await deliverReminder(withoutServer, owner.organisationId, invitation.id, 1);
    expect(await reminderEmail(owner)).toEqual(sent);
  });
});
