import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp-server.ts';

const SECRET = 'bounce-secret-0123456789abcdef';
const PUBLIC = 'https://nps.example.nl';

describeEachDialect('invitation email over SMTP', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let owner: Client;
  let surveyId: string;
  const drain = () => startWorker(t.deps, { concurrency: 4 }, false).drain();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: PUBLIC,
      BOUNCE_WEBHOOK_SECRET: SECRET,
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
    await t.close();
    await smtp.close();
  });

  let seq = 0;
  /** Creates one contact in its own segment, sends it an invitation now and drains the worker. */
  async function invite(extra: Record<string, unknown> = {}) {
    const segment = `s${++seq}`;
    const created = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Sanne de Boer', email: `sanne${seq}@example.nl`, segment, ...extra },
    });
    const contactId = created.json<{ id: string }>().id;
    await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends`,
      payload: { selection: { kind: 'segment', segment }, schedule: { kind: 'now' } },
    });
    await drain();
    const invitation = await t.db.kysely
      .selectFrom('invitations')
      .select(['id', 'token', 'message_id', 'status', 'bounced_at'])
      .where('contact_id', '=', contactId)
      .executeTakeFirstOrThrow();
    const mail = smtp.received.find((m) => m.messageId === invitation.message_id);
    return { contactId, invitation, mail };
  }
  const contactRow = (id: string) =>
    t.db.kysely
      .selectFrom('contacts')
      .select(['unsubscribed_at', 'bounced_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const consentEvents = (id: string) =>
    t.db.kysely
      .selectFrom('consent_events')
      .select(['kind', 'source'])
      .where('contact_id', '=', id)
      .execute();

  describe('the message', () => {
    let mail: ReceivedMail;
    let token: string;
    let messageId: string;
    beforeAll(async () => {
      const sent = await invite({ language: 'en' });
      if (!sent.mail) throw new Error('no mail received');
      mail = sent.mail;
      token = sent.invitation.token;
      messageId = sent.invitation.message_id;
    });

    it('carries the one-click unsubscribe headers, a stable Message-ID and the sender name', () => {
      expect(mail.headers.get('list-unsubscribe')).toBe(`<${PUBLIC}/u/${token}>`);
      expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(messageId).toMatch(/^<[0-9a-f-]{36}@nps\.example\.nl>$/);
      expect(mail.messageId).toBe(messageId);
      expect(mail.from).toBe('Garage De Vries <noreply@loyaal.test>');
      expect(mail.subject).toBe('One question from Garage De Vries');
    });

    it('is multipart/alternative with a plain-text part holding the eleven score links', () => {
      expect(mail.contentType).toMatch(/^multipart\/alternative/);
      expect(mail.parts().map((p) => p.contentType.split(';')[0])).toEqual([
        'text/plain',
        'text/html',
      ]);
      for (let n = 0; n <= 10; n++) {
        expect(mail.text()).toContain(`${n}: ${PUBLIC}/r/${token}?score=${n}\n`);
      }
      expect(mail.text()).toContain(`${PUBLIC}/u/${token}`);
    });

    it('shows eleven bulletproof buttons, the scale labels and a visible unsubscribe link', () => {
      const html = mail.html();
      const buttons = [
        ...html.matchAll(/<td [^>]*bgcolor="#[0-9a-f]{6}"[^>]*><a href="([^"]+)"/gi),
      ];
      expect(buttons.map((b) => b[1])).toEqual(
        Array.from({ length: 11 }, (_, n) => `${PUBLIC}/r/${token}?score=${n}`),
      );
      expect(html).toContain('0 = not at all likely');
      expect(html).toContain('10 = extremely likely');
      expect(html).toContain(`href="${PUBLIC}/u/${token}"`);
      expect(html).not.toMatch(/<script/i);
      expect(Buffer.byteLength(mail.raw)).toBeLessThan(30_000);
    });

    it('asks nothing but the question: no reward, offer or review request', () => {
      const words =
        /reward|discount|voucher|coupon|review|free|gift|beloning|korting|gratis|cadeau|recensie/i;
      expect(mail.text()).not.toMatch(words);
      expect(mail.html()).not.toMatch(words);
    });

    it('logs the SMTP email in the emails table', async () => {
      const row = await t.db.kysely
        .selectFrom('emails')
        .select(['transport', 'status', 'kind'])
        .where('message_id', '=', messageId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ transport: 'smtp', status: 'sent', kind: 'invitation' });
    });

    it('writes a Dutch email to a Dutch contact', async () => {
      const dutch = await invite({ language: 'nl' });
      expect(dutch.mail?.subject).toBe('Eén vraag van Garage De Vries');
      expect(dutch.mail?.html()).toContain('0 = helemaal niet waarschijnlijk');
      // No first name or salutation: greeted without a name, never with the full name.
      expect(dutch.mail?.text()).toMatch(/^Beste klant,\n/);
    });
  });

  describe('unsubscribe', () => {
    it('shows a confirmation on GET without changing anything', async () => {
      const { contactId, invitation } = await invite();
      const res = await t.app.inject({ method: 'GET', url: `/u/${invitation.token}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain(`<form method="post" action="/u/${invitation.token}">`);
      expect(res.body).toContain('Garage De Vries');
      expect((await contactRow(contactId)).unsubscribed_at).toBeNull();
    });

    it('unsubscribes on a one-click POST, once, however often it is posted', async () => {
      const { contactId, invitation } = await invite();
      for (let i = 0; i < 2; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: `/u/${invitation.token}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'List-Unsubscribe=One-Click',
        });
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('U bent afgemeld');
      }
      expect((await contactRow(contactId)).unsubscribed_at).toBe(t.clock.now);
      expect(await consentEvents(contactId)).toEqual([
        { kind: 'unsubscribed', source: `email:${invitation.id}` },
      ]);
      const get = await t.app.inject({ method: 'GET', url: `/u/${invitation.token}` });
      expect(get.body).toContain('U bent afgemeld');
    });

    it('answers an unknown link with a page that names nobody (404)', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/u/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        headers: { 'accept-language': 'en' },
      });
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('Link not found');
      expect(res.body).not.toContain('Garage');
    });
  });

  describe('bounces', () => {
    it('treats a 5xx refusal of the recipient as a hard bounce', async () => {
      smtp.rejectRecipients.add('dood@example.nl');
      const { contactId, invitation } = await invite({ email: 'dood@example.nl' });
      expect(invitation.status).toBe('bounced');
      expect((await contactRow(contactId)).bounced_at).toBe(t.clock.now);
      expect((await consentEvents(contactId)).map((e) => e.kind)).toEqual(['bounced']);
    });

    const report = (body: Record<string, unknown>, secret = SECRET) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks/bounces',
        headers: { authorization: `Bearer ${secret}` },
        payload: body,
      });

    it('rejects a webhook call with the wrong secret', async () => {
      const res = await report(
        { type: 'bounce', messageId: '<x@y>' },
        'wrong-secret-0123456789abcdef',
      );
      expect(res.statusCode).toBe(401);
    });

    it('suppresses the contact on a reported hard bounce, not on a soft one', async () => {
      const soft = await invite();
      const softRes = await report({
        type: 'bounce',
        messageId: soft.invitation.message_id.slice(1, -1),
        permanent: false,
      });
      expect(softRes.json()).toEqual({ result: 'recorded' });
      expect((await contactRow(soft.contactId)).bounced_at).toBeNull();

      const hard = await invite();
      const res = await report({ type: 'bounce', messageId: hard.invitation.message_id });
      expect(res.json()).toEqual({ result: 'suppressed' });
      expect((await contactRow(hard.contactId)).bounced_at).toBe(t.clock.now);
      const inv = await t.db.kysely
        .selectFrom('invitations')
        .select(['status', 'bounced_at'])
        .where('id', '=', hard.invitation.id)
        .executeTakeFirstOrThrow();
      expect(inv).toEqual({ status: 'bounced', bounced_at: t.clock.now });
      // The same report again, a minute later: answered the same way, recorded once.
      const first = t.clock.now;
      t.clock.now += 60_000;
      const again = await report({ type: 'bounce', messageId: hard.invitation.message_id });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({ result: 'suppressed' });
      expect((await contactRow(hard.contactId)).bounced_at).toBe(first);
      expect((await consentEvents(hard.contactId)).map((e) => e.kind)).toEqual(['bounced']);
    });

    it('suppresses the contact on a complaint and ignores unknown Message-IDs', async () => {
      const { contactId, invitation } = await invite();
      const res = await report({ type: 'complaint', messageId: invitation.message_id });
      expect(res.json()).toEqual({ result: 'suppressed' });
      expect((await consentEvents(contactId)).map((e) => e.kind)).toEqual(['complained']);
      const unknown = await report({ type: 'bounce', messageId: '<nobody@nowhere>' });
      expect(unknown.json()).toEqual({ result: 'ignored' });
    });
  });
});

describeEachDialect('email without SMTP', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('hides the bounce webhook when no secret is configured (404)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/bounces',
      headers: { authorization: `Bearer ${SECRET}` },
      payload: { type: 'bounce', messageId: '<x@y>' },
    });
    expect(res.statusCode).toBe(404);
  });
});
