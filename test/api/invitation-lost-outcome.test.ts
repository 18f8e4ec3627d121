import { afterAll, beforeAll, expect, it } from 'vitest';
import { claimJobs } from '../../src/platform/jobs/jobs.repository.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { deliverInvitation } from '../../src/modules/invitations/invitation-delivery.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildOrganisation,
  startMailingTestApp,
  type Client,
  type MailingTestApp,
} from '../support/harness.ts';
import { impatient, type TestSmtpServer } from '../support/smtp-server.ts';

const LEASE_MS = 60_000;

/**
 * The stuck last mails of the many-processes scenario (issue 13): a worker killed while it talked
 * SMTP had handed the invitation to the mail server, the customer answered from that mail, and the
 * attempt that took the job over when the lease ran out re-checked the contact rules, found the
 * customer's answer to this very invitation ("responded recently"), and marked the invitation
 * skipped: never counted as sent, and its link dead for the customer who had just answered. The same
 * happens when the mail server takes a message in and its acknowledgement is lost. A link that was
 * opened or answered proves the mail arrived: the next attempt records it as sent, without sending
 * it again.
 */
describeEachDialect('an invitation whose sending attempt never learned the outcome', (dialect) => {
  let smtp: TestSmtpServer;
  let t: MailingTestApp;

  beforeAll(async () => {
    t = await startMailingTestApp(dialect);
    smtp = t.smtp;
  });
  afterAll(async () => t?.close());

  /** An organisation with one contact and a send planned for now; returns its invitation. */
  async function plannedInvitation(owner: Client) {
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Sanne de Boer', email: 'sanne@example.nl' },
    });
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${survey.json<{ id: string }>().id}/sends`,
      payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
    });
    expect(send.statusCode, send.body).toBe(201);
    return t.db.kysely
      .selectFrom('invitations')
      .select(['id', 'token', 'message_id'])
      .where('organisation_id', '=', owner.organisationId)
      .executeTakeFirstOrThrow();
  }

  const answer = async (token: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/r/${token}`,
      headers: { 'content-type': 'application/json' },
      payload: { score: 9 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ status: string }>().status).toBe('saved');
  };

  /** What the customer, the outbox and the counts see once the job has run again. */
  async function expectSentOnce(owner: Client, invitation: { id: string; token: string }) {
    const row = await t.db.kysely
      .selectFrom('invitations')
      .select(['status', 'skip_reason', 'sent_at'])
      .where('id', '=', invitation.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', skip_reason: null });
    expect(row.sent_at).not.toBeNull();
    const email = await t.db.kysely
      .selectFrom('emails')
      .select(['status', 'error'])
      .where('organisation_id', '=', owner.organisationId)
      .executeTakeFirstOrThrow();
    expect(email).toEqual({ status: 'sent', error: null });
    // The customer who answered is not mailed the same invitation again.
    expect(smtp.received).toHaveLength(0);
    // The answer stays, and the link still opens it for a change of mind.
    const responses = await t.db.kysely
      .selectFrom('responses')
      .select('score')
      .where('invitation_id', '=', invitation.id)
      .execute();
    expect(responses).toEqual([{ score: 9 }]);
    const page = await t.app.inject({ method: 'GET', url: `/r/${invitation.token}` });
    expect(page.statusCode).toBe(200);
    await answer(invitation.token);
  }

  it('a worker killed while talking SMTP: the next worker takes the job over after the lease and records the invitation as sent', async () => {
    const owner = await buildOrganisation(t, 'Garage Gedood');
    const invitation = await plannedInvitation(owner);
    smtp.received.length = 0;
    const stalledBefore = smtp.stalled;
    try {
      // The worker that will die claims the job, as any worker does, with its lease.
      const { claimed } = await claimJobs(t.db, 'killed-worker', 1, t.clock.now, LEASE_MS);
      expect(claimed.map((j) => JSON.parse(j.payload) as unknown)).toEqual([
        { invitationId: invitation.id },
      ]);
      // It composes the mail and hands it to the server, which takes it in; then the worker is
      // gone: it never records the outcome, its job stays `running` and its lease runs out.
      smtp.stallAfterData = true;
      await expect(
        deliverInvitation(impatient(t.deps), owner.organisationId, invitation.id, 1),
      ).rejects.toThrow();
      expect(smtp.stalled).toBe(stalledBefore + 1);
    } finally {
      smtp.stallAfterData = false;
    }
    // The customer answers from the mail in their inbox.
    await answer(invitation.token);

    t.clock.now += LEASE_MS + 1;
    await startWorker(t.deps, { concurrency: 2, leaseMs: LEASE_MS }, false).drain();
    const job = await t.db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts', 'locked_by'])
      .where('organisation_id', '=', owner.organisationId)
      .where('type', '=', 'invitation.send')
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'done', attempts: 2, locked_by: null });
    await expectSentOnce(owner, invitation);
  });

  it('an acknowledgement lost after the mail server took the message: the retry records the invitation as sent', async () => {
    const owner = await buildOrganisation(t, 'Garage Stil');
    const invitation = await plannedInvitation(owner);
    smtp.received.length = 0;
    try {
      smtp.stallAfterData = true;
      await startWorker(impatient(t.deps), { concurrency: 2 }, false).drain();
    } finally {
      smtp.stallAfterData = false;
    }
    await answer(invitation.token);

    t.clock.now += 3_600_000;
    await startWorker(t.deps, { concurrency: 2 }, false).drain();
    await expectSentOnce(owner, invitation);
  });
});
