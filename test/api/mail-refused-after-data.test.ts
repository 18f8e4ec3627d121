import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invitationRemindJob } from '../../src/modules/invitations/invitations.jobs.ts';
import { enqueue } from '../../src/platform/jobs/define-job.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { caseToEscalate } from '../support/case-escalation.ts';
import { describeEachDialect } from '../support/databases.ts';
import { answerMayContact, askForReviewsByEmail } from '../support/reviews.ts';
import { buildContact, buildSurvey } from '../support/factories.ts';
import {
  buildOrganisation,
  startMailingTestApp,
  type Client,
  type MailingTestApp,
} from '../support/harness.ts';
import type { TestSmtpServer } from '../support/smtp-server.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Answers after DATA: the address is bad (RFC 3463 X.1.x), or the message was refused. */
const NO_SUCH_USER = { code: 554, text: '5.1.1 no such user here' };
const SPAM = { code: 550, text: '5.7.1 message refused as spam' };
const TOO_BIG = { code: 552, text: '5.3.4 message too big for system' };
const BARE = { code: 554, text: 'transaction failed' };
/** X.1.8 is the sender's address (its domain), not the customer's. */
const BAD_SENDER_DOMAIN = { code: 553, text: '5.1.8 sender address domain does not exist' };
const GREYLISTED = { code: 451, text: '4.7.1 greylisted, try again later' };

interface OutboxItem {
  id: string;
  kind: string;
  to: string;
  status: string;
  failure: string | null;
  error: string | null;
  nextAttemptAt: string | null;
  retryable: boolean;
}

/**
 * A permanent answer after the message's DATA (nodemailer's `EMESSAGE`), which RFC 5321 says must
 * not be repeated as it is: the email fails at once instead of being retried for a day. Its
 * enhanced status code (RFC 3463) says what was refused — the customer's address (X.1.x: a hard
 * bounce, the contact suppressed, as a refusal at RCPT) or the message (policy, size, content, or
 * no code: the customer is not suppressed). A temporary answer (4xx) after DATA is still retried.
 */
describeEachDialect('a mail server that refuses a message after its DATA', (dialect) => {
  let t: MailingTestApp;
  let smtp: TestSmtpServer;
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    t = await startMailingTestApp(dialect, { PUBLIC_URL: 'https://nps.garage.test' });
    smtp = t.smtp;
    t.clock.now = Date.parse('2026-11-25T10:00+01:00');
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => {
    smtp.answerAfterData.clear();
  });

  const attemptsTo = (address: string) =>
    smtp.answeredAfterData.filter((a) => a === address).length;
  const contactState = async (id: string) => {
    const row = await t.db.kysely
      .selectFrom('contacts')
      .select('bounced_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const events = await t.db.kysely
      .selectFrom('consent_events')
      .select('kind')
      .where('contact_id', '=', id)
      .execute();
    return { bounced: row.bounced_at !== null, events: events.map((e) => e.kind) };
  };
  const outboxItem = async (owner: Client, id: string) =>
    (await owner.request({ url: '/api/v1/outbox?limit=100' }))
      .json<{ items: (OutboxItem & { id: string })[] }>()
      .items.find((i) => i.id === id);
  const emailOf = (invitationId: string, kind: 'invitation' | 'reminder') =>
    t.db.kysely
      .selectFrom('emails')
      .select(['id', 'status', 'failure', 'error', 'next_attempt_at'])
      .where('invitation_id', '=', invitationId)
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow();

  let seq = 0;
  /**
   * One contact of a new organisation (its login fresh, whatever the clock did), invited now through
   * the API and the worker, with `answer` after its DATA.
   */
  async function invite(answer: { code: number; text: string } | null) {
    const owner = await buildOrganisation(t, `Garage Na Data ${++seq}`);
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    const surveyId = survey.json<{ id: string }>().id;
    const email = `klant${seq}@example.nl`;
    if (answer) smtp.answerAfterData.set(email, answer);
    const contact = await buildContact(t.db.kysely, owner.organisationId, {
      name: 'Sanne de Boer',
      email,
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
      .select(['id', 'status', 'skip_reason'])
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    return { owner, email, contactId: contact.id, invitation };
  }

  describe('an invitation', () => {
    it.each([
      ['refused as spam (5.7.1)', SPAM],
      ['too big (5.3.4)', TOO_BIG],
      ['refused without an enhanced code', BARE],
      ["refused for the sender's domain (5.1.8)", BAD_SENDER_DOMAIN],
    ])(
      'fails at once when its message is %s, and the customer is not suppressed',
      async (_label, answer) => {
        const { owner, email, contactId, invitation } = await invite(answer);
        expect(invitation).toMatchObject({ status: 'failed', skip_reason: 'message_refused' });
        const row = await emailOf(invitation.id, 'invitation');
        expect(row).toMatchObject({ status: 'failed', failure: 'refused', next_attempt_at: null });
        expect(row.error).toContain(`${answer.code} ${answer.text}`);
        expect(await contactState(contactId)).toEqual({ bounced: false, events: [] });
        // The outbox says why, and staff may try it again (after changing what was refused).
        expect(await outboxItem(owner, row.id)).toMatchObject({
          status: 'failed',
          failure: 'refused',
          nextAttemptAt: null,
          retryable: true,
        });
        // Not repeated as it was: a day of the job's back-off sends nothing more.
        for (let i = 0; i < 6; i++) {
          t.clock.now += 4 * HOUR;
          await drain();
        }
        expect(attemptsTo(email)).toBe(1);
        expect(smtp.received.filter((m) => m.envelopeTo.includes(email))).toEqual([]);
      },
    );

    it('is a hard bounce when the server says after DATA that the address does not exist (5.1.1)', async () => {
      const { owner, email, contactId, invitation } = await invite(NO_SUCH_USER);
      expect(invitation.status).toBe('bounced');
      const row = await emailOf(invitation.id, 'invitation');
      expect(row).toMatchObject({ status: 'failed', failure: 'rejected', next_attempt_at: null });
      expect(row.error).toContain('554 5.1.1 no such user here');
      expect(await contactState(contactId)).toEqual({ bounced: true, events: ['bounced'] });
      expect(await outboxItem(owner, row.id)).toMatchObject({
        failure: 'rejected',
        retryable: false,
      });
      t.clock.now += DAY;
      await drain();
      expect(attemptsTo(email)).toBe(1);
    });

    it('is tried again after a temporary answer (4xx) after DATA', async () => {
      const { email, contactId, invitation } = await invite(GREYLISTED);
      expect(invitation.status).toBe('queued');
      const row = await emailOf(invitation.id, 'invitation');
      expect(row).toMatchObject({ status: 'queued', failure: 'temporary' });
      expect(row.next_attempt_at).toBeGreaterThan(t.clock.now);
      smtp.answerAfterData.delete(email);
      t.clock.now = row.next_attempt_at ?? t.clock.now;
      await drain();
      expect(smtp.received.filter((m) => m.envelopeTo.includes(email))).toHaveLength(1);
      expect((await emailOf(invitation.id, 'invitation')).status).toBe('sent');
      expect(await contactState(contactId)).toEqual({ bounced: false, events: [] });
    });

    it('goes out when staff try a refused one again from the outbox', async () => {
      const { owner, email, invitation } = await invite(SPAM);
      const row = await emailOf(invitation.id, 'invitation');
      smtp.answerAfterData.delete(email);
      const retry = await owner.request({
        method: 'POST',
        url: `/api/v1/outbox/${row.id}/retry`,
      });
      expect(retry.statusCode, retry.body).toBe(200);
      await drain();
      expect(smtp.received.filter((m) => m.envelopeTo.includes(email))).toHaveLength(1);
      expect((await emailOf(invitation.id, 'invitation')).status).toBe('sent');
    });
  });

  describe('a reminder', () => {
    it.each([
      ['refused as spam (5.7.1)', SPAM, false],
      ['refused for a bad address (5.1.1)', NO_SUCH_USER, true],
    ])('fails at once when it is %s', async (_label, answer, suppressed) => {
      const { owner, email, contactId, invitation } = await invite(null);
      expect(invitation.status).toBe('sent');
      smtp.answerAfterData.set(email, answer);
      t.clock.now += 6 * DAY;
      await drain();
      const row = await emailOf(invitation.id, 'reminder');
      expect(row).toMatchObject({
        status: 'failed',
        failure: suppressed ? 'rejected' : 'refused',
        next_attempt_at: null,
      });
      expect(row.error).toContain(`${answer.code} ${answer.text}`);
      expect((await contactState(contactId)).bounced).toBe(suppressed);
      // A second reminder job of the invitation (a duplicate) does not repeat it either.
      await enqueue(
        t.db.kysely,
        invitationRemindJob,
        { invitationId: invitation.id },
        { organisationId: owner.organisationId, now: t.clock.now },
      );
      for (let i = 0; i < 6; i++) {
        t.clock.now += 4 * HOUR;
        await drain();
      }
      expect(attemptsTo(email)).toBe(1);
    });
  });

  describe('a review request (customer mail outside the invitations)', () => {
    it.each([
      ['refused as spam (5.7.1)', SPAM, false],
      ['refused for a bad address (5.1.1)', NO_SUCH_USER, true],
    ])('fails at once when it is %s', async (_label, answer, suppressed) => {
      const org = await buildOrganisation(t, `Garage Review ${++seq}`);
      await askForReviewsByEmail(org);
      const survey = await buildSurvey(t.db.kysely, org.organisationId);
      const address = `anna${seq}@klant.nl`;
      const contact = await answerMayContact(
        t,
        { organisationId: org.organisationId, surveyId: survey.id },
        { email: address, first_name: 'Anna' },
        10,
      );
      smtp.answerAfterData.set(address, answer);
      t.clock.now += 2 * HOUR;
      await drain();
      const row = await t.db.kysely
        .selectFrom('emails')
        .select(['status', 'failure', 'error', 'next_attempt_at'])
        .where('to_address', '=', address)
        .where('kind', '=', 'review_request')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        status: 'failed',
        failure: suppressed ? 'rejected' : 'refused',
        next_attempt_at: null,
      });
      expect(row.error).toContain(`${answer.code} ${answer.text}`);
      expect((await contactState(contact.id)).bounced).toBe(suppressed);
      for (let i = 0; i < 6; i++) {
        t.clock.now += 4 * HOUR;
        await drain();
      }
      expect(attemptsTo(address)).toBe(1);
    });
  });

  describe('a case mail to several people', () => {
    it('carries on past a message refused after DATA, and never sends it again', async () => {
      const {
        organisationId: id,
        managers,
        escalate,
      } = await caseToEscalate(t, 'Garage Vier Chefs', [
        'Chef Een',
        'Chef Twee',
        'Chef Drie',
        'Chef Vier',
      ]);
      // Mailed in the order of their addresses: the refused ones before the others.
      const [spam, gone, busy, accepted] = managers as [string, string, string, string];
      const mailsTo = (address: string) =>
        smtp.received.filter((m) => m.envelopeTo.some((a) => a.toLowerCase() === address));

      smtp.answerAfterData.set(spam, SPAM);
      smtp.answerAfterData.set(gone, NO_SUCH_USER);
      smtp.answerAfterData.set(busy, GREYLISTED);
      // The busy mailbox is retried (the job throws after the others); the refused ones are not.
      await expect(escalate()).rejects.toThrow();
      expect(mailsTo(accepted)).toHaveLength(1);
      smtp.answerAfterData.clear();
      t.clock.now += 5 * 60_000;
      expect(await escalate()).toMatchObject({ status: 'success' });
      expect(await escalate()).toMatchObject({ status: 'success' });
      expect([spam, gone, busy, accepted].map((m) => mailsTo(m).length)).toEqual([0, 0, 1, 1]);
      expect([spam, gone, busy].map(attemptsTo)).toEqual([1, 1, 1]);
      const rows = await t.db.kysely
        .selectFrom('emails')
        .select(['to_address', 'status', 'failure'])
        .where('organisation_id', '=', id)
        .where('kind', '=', 'case_escalation')
        .execute();
      expect(
        Object.fromEntries(rows.map((r) => [r.to_address.toLowerCase(), [r.status, r.failure]])),
      ).toEqual({
        [spam]: ['failed', 'refused'],
        [gone]: ['failed', 'rejected'],
        [busy]: ['sent', null],
        [accepted]: ['sent', null],
      });
    });
  });
});
