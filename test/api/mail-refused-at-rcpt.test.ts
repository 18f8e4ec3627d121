import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
/** Answers at RCPT TO that are about the route, not the customer's mailbox (RFC 3463 X.7.x …). */
const RELAY_DENIED = { code: 554, text: '5.7.1 Relay access denied' };
const NOT_PERMITTED = { code: 550, text: '5.7.1 Unable to relay: not permitted to relay' };
const LOGIN_REQUIRED = { code: 530, text: '5.7.0 Authentication required' };
const NO_ROUTE = { code: 550, text: '5.4.4 unable to route' };
const BARE_RELAYING = { code: 550, text: 'relaying denied' };
/** … and answers at RCPT TO that refuse the address: a hard bounce, as before. */
const NO_SUCH_USER = { code: 550, text: '5.1.1 Recipient address rejected: User unknown' };
const NULL_MX = { code: 556, text: '5.1.10 recipient address has null MX' };
const BARE_MAILBOX = { code: 550, text: 'mailbox unavailable' };
const BARE_NAME = { code: 553, text: 'mailbox name not allowed' };

interface OutboxItem {
  id: string;
  status: string;
  failure: string | null;
  error: string | null;
  nextAttemptAt: string | null;
}

/**
 * A server that answers a recipient with a 5xx at RCPT TO does not always refuse the address: a
 * relay that wants a login ("530 5.7.0 Authentication required"), or refuses to pass mail on
 * ("554 5.7.1 Relay access denied"), answers so for every recipient, because of the organisation's
 * own mail settings. Read as a hard bounce, one missing login suppressed every customer of a send.
 * By the enhanced code (RFC 3463) only the address's (X.1.x, or a plain 550/551/553) is a bounce;
 * the rest suppress nobody and wait, tried again on the job's back-off as after a refused login,
 * while the outbox says to check the mail settings.
 */
describeEachDialect('a mail server that refuses a recipient at RCPT TO', (dialect) => {
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
    smtp.answerAtRcpt.clear();
  });

  const mailsTo = (address: string) =>
    smtp.received.filter((m) => m.envelopeTo.some((a) => a.toLowerCase() === address));
  const bounced = async (id: string) => {
    const row = await t.db.kysely
      .selectFrom('contacts')
      .select('bounced_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.bounced_at !== null;
  };
  const outboxItem = async (owner: Client, id: string) =>
    (await owner.request({ url: '/api/v1/outbox?limit=100' }))
      .json<{ items: OutboxItem[] }>()
      .items.find((i) => i.id === id);
  const emailOf = (invitationId: string, kind: 'invitation' | 'reminder') =>
    t.db.kysely
      .selectFrom('emails')
      .select(['id', 'status', 'failure', 'error', 'next_attempt_at'])
      .where('invitation_id', '=', invitationId)
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow();
  const invitationOf = (contactId: string) =>
    t.db.kysely
      .selectFrom('invitations')
      .select(['id', 'status', 'skip_reason'])
      .where('contact_id', '=', contactId)
      .executeTakeFirstOrThrow();

  let seq = 0;
  /** One contact of a new organisation, invited now through the API and the worker. */
  async function invite(answer: { code: number; text: string } | null) {
    const owner = await buildOrganisation(t, `Garage Relay ${++seq}`);
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    const email = `klant${seq}@example.nl`;
    if (answer) smtp.answerAtRcpt.set(email, answer);
    const contact = await buildContact(t.db.kysely, owner.organisationId, {
      name: 'Sanne de Boer',
      email,
    });
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
    return { owner, email, contactId: contact.id, invitation: await invitationOf(contact.id) };
  }

  describe('an invitation', () => {
    it.each([
      ['relay access denied (554 5.7.1)', RELAY_DENIED],
      ['not permitted to relay (550 5.7.1)', NOT_PERMITTED],
      ['a login required (530 5.7.0)', LOGIN_REQUIRED],
      ['no route (550 5.4.4)', NO_ROUTE],
      ['"relaying denied" without an enhanced code', BARE_RELAYING],
    ])(
      'suppresses nobody and waits for the settings when the answer is %s',
      async (_label, answer) => {
        const { owner, email, contactId, invitation } = await invite(answer);
        expect(invitation.status).toBe('queued');
        expect(await bounced(contactId)).toBe(false);
        const row = await emailOf(invitation.id, 'invitation');
        expect(row).toMatchObject({ status: 'queued', failure: 'relay' });
        expect(row.error).toContain(`${answer.code} ${answer.text}`);
        expect(row.next_attempt_at).toBeGreaterThan(t.clock.now);
        expect(await outboxItem(owner, row.id)).toMatchObject({
          status: 'queued',
          failure: 'relay',
        });
        // Someone adds the login: the next attempt of the back-off sends it.
        smtp.answerAtRcpt.delete(email);
        t.clock.now = row.next_attempt_at ?? t.clock.now;
        await drain();
        expect(mailsTo(email)).toHaveLength(1);
        expect((await invitationOf(contactId)).status).toBe('sent');
        expect(await bounced(contactId)).toBe(false);
      },
    );

    it('fails as undelivered, not bounced, when the settings are never fixed', async () => {
      const { contactId, invitation } = await invite(RELAY_DENIED);
      for (let i = 0; i < 12; i++) {
        t.clock.now += 4 * HOUR;
        await drain();
      }
      expect(await invitationOf(contactId)).toMatchObject({
        status: 'failed',
        skip_reason: 'delivery_failed',
      });
      expect(await emailOf(invitation.id, 'invitation')).toMatchObject({
        status: 'failed',
        failure: 'relay',
      });
      expect(await bounced(contactId)).toBe(false);
    });

    it.each([
      ['no such user (550 5.1.1)', NO_SUCH_USER],
      ['a null MX (556 5.1.10)', NULL_MX],
      ['"mailbox unavailable" without an enhanced code (550)', BARE_MAILBOX],
      ['"mailbox name not allowed" without an enhanced code (553)', BARE_NAME],
    ])('is still a hard bounce when the answer is %s', async (_label, answer) => {
      const { email, contactId, invitation } = await invite(answer);
      expect(invitation.status).toBe('bounced');
      expect(await bounced(contactId)).toBe(true);
      const row = await emailOf(invitation.id, 'invitation');
      expect(row).toMatchObject({ status: 'failed', failure: 'rejected', next_attempt_at: null });
      t.clock.now += DAY;
      await drain();
      expect(smtp.answeredAtRcpt.filter((a) => a === email)).toHaveLength(1);
    });
  });

  describe('a reminder', () => {
    it('suppresses nobody when the relay refuses it, and goes out once the login is there', async () => {
      const { email, contactId, invitation } = await invite(null);
      expect(invitation.status).toBe('sent');
      smtp.answerAtRcpt.set(email, LOGIN_REQUIRED);
      t.clock.now += 6 * DAY;
      await drain();
      const row = await emailOf(invitation.id, 'reminder');
      expect(row).toMatchObject({ status: 'queued', failure: 'relay' });
      expect(row.error).toContain('530 5.7.0 Authentication required');
      expect(await bounced(contactId)).toBe(false);
      smtp.answerAtRcpt.delete(email);
      t.clock.now = row.next_attempt_at ?? t.clock.now;
      await drain();
      expect((await emailOf(invitation.id, 'reminder')).status).toBe('sent');
      expect(mailsTo(email)).toHaveLength(2);
    });
  });

  describe('a review request (customer mail outside the invitations)', () => {
    it('suppresses nobody when the relay refuses it, and goes out once the relay takes it', async () => {
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
      smtp.answerAtRcpt.set(address, RELAY_DENIED);
      t.clock.now += 2 * HOUR;
      await drain();
      const reviewMail = () =>
        t.db.kysely
          .selectFrom('emails')
          .select(['status', 'failure', 'error', 'next_attempt_at'])
          .where('to_address', '=', address)
          .where('kind', '=', 'review_request')
          .executeTakeFirstOrThrow();
      const row = await reviewMail();
      expect(row).toMatchObject({ status: 'queued', failure: 'relay' });
      expect(row.error).toContain('554 5.7.1 Relay access denied');
      expect(await bounced(contact.id)).toBe(false);
      smtp.answerAtRcpt.delete(address);
      t.clock.now += 4 * HOUR;
      await drain();
      expect((await reviewMail()).status).toBe('sent');
      expect(mailsTo(address)).toHaveLength(1);
    });
  });

  describe('a case mail to several people', () => {
    it('tries everyone past a relay refusal, bounces only the bad address, and sends the rest once the relay takes them', async () => {
      const {
        organisationId: id,
        managers,
        escalate,
      } = await caseToEscalate(t, 'Garage Drie Chefs', ['Chef Een', 'Chef Twee', 'Chef Drie']);
      // Mailed in the order of their addresses: the refused ones before the other.
      const [relayed, gone, accepted] = managers as [string, string, string];
      const rows = async () =>
        Object.fromEntries(
          (
            await t.db.kysely
              .selectFrom('emails')
              .select(['to_address', 'status', 'failure'])
              .where('organisation_id', '=', id)
              .where('kind', '=', 'case_escalation')
              .execute()
          ).map((r) => [r.to_address.toLowerCase(), [r.status, r.failure]]),
        );

      smtp.answerAtRcpt.set(relayed, NOT_PERMITTED);
      smtp.answerAtRcpt.set(gone, NO_SUCH_USER);
      // The relay's refusal is tried again (the job throws after the others); the bad address not.
      await expect(escalate()).rejects.toThrow();
      expect(mailsTo(accepted)).toHaveLength(1);
      expect(await rows()).toEqual({
        [relayed]: ['queued', 'relay'],
        [gone]: ['failed', 'rejected'],
        [accepted]: ['sent', null],
      });
      smtp.answerAtRcpt.clear();
      t.clock.now += 5 * 60_000;
      expect(await escalate()).toMatchObject({ status: 'success' });
      expect([relayed, gone, accepted].map((m) => mailsTo(m).length)).toEqual([1, 0, 1]);
      expect(await rows()).toEqual({
        [relayed]: ['sent', null],
        [gone]: ['failed', 'rejected'],
        [accepted]: ['sent', null],
      });
    });
  });
});
