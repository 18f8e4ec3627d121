import { afterAll, beforeAll, expect, it } from 'vitest';
import { reminderMessageId } from '../../src/modules/invitations/reminder-message-id.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const SECRET = 'bounce-secret-0123456789abcdef';

/**
 * The bounce webhook's fallback: an invitation found by its Message-ID when no row of `emails`
 * names it (mail sent before the outbox kept its messages, the demo's invitations).
 */
describeEachDialect('a bounce report about an invitation without an email row', (dialect) => {
  let t: TestApp;
  let orgId: string;
  let surveyId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, { BOUNCE_WEBHOOK_SECRET: SECRET });
    orgId = (await buildOrganisation(t, 'Garage Jansen')).organisationId;
    surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
  });
  afterAll(async () => t.close());

  const report = (body: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/bounces',
      headers: { authorization: `Bearer ${SECRET}` },
      payload: body,
    });
  const contactOf = (id: string) =>
    t.db.kysely
      .selectFrom('contacts')
      .select(['bounced_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const invitationOf = (id: string) =>
    t.db.kysely
      .selectFrom('invitations')
      .select(['status', 'bounced_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const consentKinds = async (contactId: string) =>
    (
      await t.db.kysely
        .selectFrom('consent_events')
        .select(['kind'])
        .where('contact_id', '=', contactId)
        .execute()
    ).map((e) => e.kind);
  async function invitationWithoutEmail() {
    const contact = await buildContact(t.db.kysely, orgId);
    const invitation = await buildInvitation(t.db.kysely, {
      organisationId: orgId,
      surveyId,
      contactId: contact.id,
    });
    const emails = await t.db.kysely
      .selectFrom('emails')
      .select('id')
      .where('message_id', 'in', [invitation.message_id, reminderMessageId(invitation)])
      .execute();
    expect(emails).toEqual([]);
    return { contactId: contact.id, invitation };
  }

  it('suppresses the contact and marks the invitation bounced on a hard bounce', async () => {
    t.clock.now = Date.parse('2026-11-20T09:00:00+01:00');
    const { contactId, invitation } = await invitationWithoutEmail();
    // Without the angle brackets, as some providers report it.
    const res = await report({ type: 'bounce', messageId: invitation.message_id.slice(1, -1) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ result: 'suppressed' });
    expect(await invitationOf(invitation.id)).toEqual({
      status: 'bounced',
      bounced_at: t.clock.now,
    });
    expect((await contactOf(contactId)).bounced_at).toBe(t.clock.now);
    expect(await consentKinds(contactId)).toEqual(['bounced']);
  });

  it('records a soft bounce and suppresses on a complaint', async () => {
    t.clock.now = Date.parse('2026-11-20T09:10:00+01:00');
    const soft = await invitationWithoutEmail();
    const res = await report({
      type: 'bounce',
      messageId: soft.invitation.message_id,
      permanent: false,
    });
    expect(res.json()).toEqual({ result: 'recorded' });
    expect((await contactOf(soft.contactId)).bounced_at).toBeNull();
    expect((await invitationOf(soft.invitation.id)).status).toBe('sent');

    const complained = await invitationWithoutEmail();
    const complaint = await report({
      type: 'complaint',
      messageId: complained.invitation.message_id,
    });
    expect(complaint.json()).toEqual({ result: 'suppressed' });
    expect(await consentKinds(complained.contactId)).toEqual(['complained']);
    expect((await invitationOf(complained.invitation.id)).status).toBe('sent');
  });

  it('finds the invitation by its reminder’s Message-ID too', async () => {
    t.clock.now = Date.parse('2026-11-20T09:20:00+01:00');
    const { contactId, invitation } = await invitationWithoutEmail();
    const res = await report({ type: 'bounce', messageId: reminderMessageId(invitation) });
    expect(res.json()).toEqual({ result: 'suppressed' });
    expect((await invitationOf(invitation.id)).status).toBe('bounced');
    expect((await contactOf(contactId)).bounced_at).toBe(t.clock.now);
  });

  it('ignores a Message-ID that looks like a reminder’s of no invitation', async () => {
    t.clock.now = Date.parse('2026-11-20T09:30:00+01:00');
    const { invitation } = await invitationWithoutEmail();
    // The right invitation id under another host is not the reminder this installation sent.
    const forged = `<${invitation.id}.reminder@elsewhere.example>`;
    expect((await report({ type: 'bounce', messageId: forged })).json()).toEqual({
      result: 'ignored',
    });
    expect((await invitationOf(invitation.id)).status).toBe('sent');
  });
});
