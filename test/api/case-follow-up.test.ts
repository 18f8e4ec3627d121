import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { deliverInvitation } from '../../src/modules/invitations/invitation-delivery.service.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildEmployee, buildInvitation, buildSurvey } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * Won back: after a case is resolved the customer gets one short follow-up ("is your problem
 * solved to your satisfaction?" and the 0–10 question), allowed by the frequency rules as the
 * exception tied to the case and shown as such in a send preview; the answer links back to the
 * case, and the case report counts the customer won back.
 */
describeEachDialect('cases: the won-back follow-up', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let owner: Client;
  let org: string;
  let surveyId: string;
  let sanne: { id: string };
  let sanneLogin: Client;
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: 'https://nps.garage.test',
    });
    t.clock.now = Date.parse('2026-11-25T10:00+01:00');
    owner = await buildOrganisation(t, 'Garage De Vries');
    org = owner.organisationId;
    surveyId = (await buildSurvey(t.db.kysely, org)).id;
    sanne = await buildEmployee(t.db.kysely, org, { name: 'Sanne de Boer', team: 'Werkplaats' });
    sanneLogin = await buildMember(t, org, 'account_manager', sanne.id);
  });
  beforeEach(() => {
    t.clock.now = Date.parse('2026-11-25T10:00+01:00');
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  /** A contact of Sanne's who answers 2 to yesterday's invitation; returns the case. */
  async function unhappyCustomer(extra: object = {}) {
    const contact = await buildContact(t.db.kysely, org, {
      name: 'Ingrid Jansen',
      owner_employee_id: sanne.id,
      ...extra,
    });
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: org, surveyId, contactId: contact.id },
      { planned_at: t.clock.now - DAY, expires_at: t.clock.now + 30 * DAY },
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/r/${inv.token}`,
      payload: { score: 2, comment: 'Auto niet op tijd klaar', mayContact: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    const row = await t.db.kysely
      .selectFrom('cases')
      .select('id')
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    return { contact, caseId: row.id };
  }

  const resolve = (caseId: string) =>
    sanneLogin.request({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/status`,
      payload: { status: 'resolved', note: 'Gratis gewassen' },
    });

  const followUpOf = async (caseId: string) =>
    (
      await t.db.kysely
        .selectFrom('cases')
        .select(['follow_up_invitation_id', 'follow_up_score'])
        .where('id', '=', caseId)
        .executeTakeFirstOrThrow()
    ).follow_up_invitation_id;

  it('sends one follow-up a day after the resolution, past the rules, and counts a 9 as won back', async () => {
    const { contact, caseId } = await unhappyCustomer();
    expect((await resolve(caseId)).statusCode).toBe(200);
    await drain();
    expect(await followUpOf(caseId)).toBeNull(); // not before the day has passed

    t.clock.now += 24 * HOUR;
    await drain();
    const invitationId = await followUpOf(caseId);
    expect(invitationId).not.toBeNull();
    // Invited yesterday and answered: the ordinary rules would skip; the follow-up went out.
    const mail = smtp.received.find((m) => m.envelopeTo.includes(contact.email ?? '?'));
    expect(mail?.subject).toBe('Is uw probleem naar tevredenheid opgelost?');
    expect(mail?.text()).toContain('Is uw probleem naar tevredenheid opgelost?');
    const invitation = await t.db.kysely
      .selectFrom('invitations')
      .select(['status', 'token', 'reminder_planned_at'])
      .where('id', '=', invitationId ?? '')
      .executeTakeFirstOrThrow();
    expect(invitation.status).toBe('sent');
    expect(invitation.reminder_planned_at).toBeNull(); // one short follow-up, no reminder

    // A send preview that selects her shows the follow-up as the exception it was.
    const preview = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends/preview`,
      payload: { selection: { kind: 'contacts', contactIds: [contact.id] } },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const body = preview.json<{
      eligible: number;
      caseFollowUps: { contactId: string; caseId: string; explanation: string }[];
    }>();
    expect(body.eligible).toBe(0);
    expect(body.caseFollowUps).toEqual([
      expect.objectContaining({ contactId: contact.id, caseId }),
    ]);
    expect(body.caseFollowUps[0]?.explanation).toMatch(
      /^kreeg op 26 november 2026 de vervolgvraag bij een opgeloste zaak: een uitzondering op de contactregels/,
    );

    // She answers 9: the case is won back, the answer is linked to it, no new case opens.
    const res = await t.app.inject({
      method: 'POST',
      url: `/r/${invitation.token}`,
      payload: { score: 9 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const detail = (await sanneLogin.request({ url: `/api/v1/cases/${caseId}` })).json<{
      followUp: { score: number; wonBack: boolean };
      log: { type: string }[];
      history: { answers: { score: number }[] };
    }>();
    expect(detail.followUp).toMatchObject({ score: 9, wonBack: true });
    expect(detail.log.map((l) => l.type)).toEqual(
      expect.arrayContaining(['follow-up-sent', 'follow-up-answered']),
    );
    expect(detail.history.answers.map((a) => a.score)).toEqual([9, 2]);
    const cases = await t.db.kysely
      .selectFrom('cases')
      .select('id')
      .where('contact_id', '=', contact.id)
      .execute();
    expect(cases).toHaveLength(1);
    const linked = await t.db.kysely
      .selectFrom('case_responses')
      .select('response_id')
      .where('case_id', '=', caseId)
      .execute();
    expect(linked).toHaveLength(2);

    const report = (await sanneLogin.request({ url: '/api/v1/case-report' })).json<{
      overall: { followUpsAnswered: number; wonBack9: { estimate: number } | null };
    }>();
    expect(report.overall.followUpsAnswered).toBeGreaterThanOrEqual(1);
    expect(report.overall.wonBack9?.estimate).toBeGreaterThan(0);
  });

  it('asks nobody who unsubscribed meanwhile, and says so in the case log', async () => {
    const { contact, caseId } = await unhappyCustomer();
    await t.db.kysely
      .updateTable('contacts')
      .set({ unsubscribed_at: t.clock.now })
      .where('id', '=', contact.id)
      .execute();
    expect((await resolve(caseId)).statusCode).toBe(200);
    t.clock.now += 25 * HOUR;
    await drain();
    expect(await followUpOf(caseId)).toBeNull();
    const detail = (await sanneLogin.request({ url: `/api/v1/cases/${caseId}` })).json<{
      log: { type: string; detail: { reason?: string } }[];
    }>();
    expect(detail.log.find((l) => l.type === 'follow-up-skipped')?.detail.reason).toBe(
      'unsubscribed',
    );
  });

  /** Resolves the case and lets the day pass until its follow-up went out; its link's token. */
  async function resolvedAndAskedAgain(caseId: string): Promise<string> {
    await resolve(caseId);
    t.clock.now += 24 * HOUR;
    await drain();
    const invitation = await t.db.kysely
      .selectFrom('invitations')
      .select('token')
      .where('id', '=', (await followUpOf(caseId)) ?? '')
      .executeTakeFirstOrThrow();
    return invitation.token;
  }

  it('opens a new case when the follow-up answer is still unhappy', async () => {
    const { contact, caseId } = await unhappyCustomer();
    const token = await resolvedAndAskedAgain(caseId);
    await t.app.inject({ method: 'POST', url: `/r/${token}`, payload: { score: 3 } });
    const cases = await t.db.kysely
      .selectFrom('cases')
      .select(['id', 'status', 'follow_up_score'])
      .where('contact_id', '=', contact.id)
      .orderBy('opened_at')
      .execute();
    expect(cases.map((c) => [c.status, c.follow_up_score])).toEqual([
      ['resolved', 3],
      ['open', null],
    ]);
  });

  it('closes that new case when the customer changes the follow-up answer to a 9', async () => {
    const { contact, caseId } = await unhappyCustomer();
    const token = await resolvedAndAskedAgain(caseId);
    await t.app.inject({ method: 'POST', url: `/r/${token}`, payload: { score: 3 } });
    t.clock.now += 60_000;
    // "I meant a 9": as with any changed answer, the case it opened closes by the customer.
    const edit = await t.app.inject({ method: 'POST', url: `/r/${token}`, payload: { score: 9 } });
    expect(edit.statusCode, edit.body).toBe(200);
    const cases = await t.db.kysely
      .selectFrom('cases')
      .select(['kind', 'status', 'follow_up_score'])
      .where('contact_id', '=', contact.id)
      .orderBy('opened_at')
      .execute();
    // The resolved case counts the 9 as won back; no thank-you task is opened for it.
    expect(cases).toEqual([
      { kind: 'recovery', status: 'resolved', follow_up_score: 9 },
      { kind: 'recovery', status: 'changed_by_customer', follow_up_score: null },
    ]);
  });

  it('reminds nobody of a follow-up whose send was recorded after its worker died', async () => {
    const { contact, caseId } = await unhappyCustomer();
    await resolve(caseId);
    t.clock.now += 24 * HOUR;
    await drain();
    const followUpId = (await followUpOf(caseId)) ?? '';
    // The mail server accepted the follow-up, the worker died before marking it sent, and the
    // customer opened the link: the retried job records it as sent without sending it again.
    await t.db.kysely
      .updateTable('invitations')
      .set({ status: 'queued', sent_at: null, clicked_at: t.clock.now })
      .where('id', '=', followUpId)
      .execute();
    await deliverInvitation(t.deps, org, followUpId, 2);
    const row = await t.db.kysely
      .selectFrom('invitations')
      .select(['status', 'reminder_planned_at'])
      .where('id', '=', followUpId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'sent', reminder_planned_at: null });
    // Other tests' mail may go out as the days pass; none to this customer.
    const toHer = () =>
      smtp.received.filter((m) => m.envelopeTo.includes(contact.email ?? '')).length;
    const before = toHer();
    t.clock.now += 6 * DAY;
    await drain();
    expect(toHer()).toBe(before);
    const reminders = await t.db.kysely
      .selectFrom('emails')
      .select('status')
      .where('invitation_id', '=', followUpId)
      .where('kind', '=', 'reminder')
      .execute();
    expect(reminders.filter((r) => r.status === 'sent')).toEqual([]);
  });
});
