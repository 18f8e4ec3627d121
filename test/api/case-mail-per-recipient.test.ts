import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { caseEscalationHandler } from '../../src/modules/cases/cases.job-handlers.ts';
import { newId } from '../../src/shared/ids.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildEmployee, buildInvitation, buildSurvey } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startMailingTestApp,
  type MailingTestApp,
} from '../support/harness.ts';
import type { TestSmtpServer } from '../support/smtp-server.ts';

const DAY = 86_400_000;

/**
 * A job that mails several people (a case's escalation to every manager of the team) and runs
 * again after one recipient's mailbox failed for a while: each recipient's mail is its own. The run
 * again sends only the mails that did not go out — never a second one to whom the server accepted
 * it, nor again to an address the server refused for good.
 */
describeEachDialect('a case mail to several people, run again', (dialect) => {
  let t: MailingTestApp;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    t = await startMailingTestApp(dialect, { PUBLIC_URL: 'https://nps.garage.test' });
    smtp = t.smtp;
  });
  beforeEach(() => {
    // Friday 27 November 2026, 15:00 in Amsterdam.
    t.clock.now = Date.parse('2026-11-27T15:00+01:00');
  });
  afterAll(async () => {
    await t.close();
  });

  const mailsTo = (address: string) =>
    smtp.received.filter((m) => m.envelopeTo.some((a) => a.toLowerCase() === address));

  it('sends each manager their escalation once: the busy mailbox on the run again, the refused one never again', async () => {
    const owner = await buildOrganisation(t, 'Garage Drie Chefs');
    const org = owner.organisationId;
    const survey = await buildSurvey(t.db.kysely, org);
    const kees = await buildEmployee(t.db.kysely, org, { name: 'Kees Smit', team: 'Balie' });
    const managers: string[] = [];
    for (const name of ['Chef Een', 'Chef Twee', 'Chef Drie']) {
      const employee = await buildEmployee(t.db.kysely, org, { name, team: 'Balie' });
      managers.push((await buildMember(t, org, 'manager', employee.id)).email.toLowerCase());
    }
    // Mailed in the order of their addresses: the busy mailbox first, before the others.
    const [busy, accepted, refused] = [...managers].sort() as [string, string, string];
    const contact = await buildContact(t.db.kysely, org, {
      name: 'Ingrid Jansen',
      owner_employee_id: kees.id,
    });
    const invitation = await buildInvitation(
      t.db.kysely,
      { organisationId: org, surveyId: survey.id, contactId: contact.id },
      { planned_at: t.clock.now - DAY, expires_at: t.clock.now + 30 * DAY },
    );
    const answered = await t.app.inject({
      method: 'POST',
      url: `/r/${invitation.token}`,
      payload: { score: 1, comment: 'Nooit meer' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    const row = await t.db.kysely
      .selectFrom('cases')
      .select(['id', 'due_at'])
      .where('organisation_id', '=', org)
      .where('contact_id', '=', contact.id)
      .executeTakeFirstOrThrow();
    t.clock.now = row.due_at + 60_000;
    const jobId = newId();
    const escalate = () =>
      caseEscalationHandler.run(
        { caseId: row.id },
        { ...t.deps, organisationId: org, jobId, attempt: 1, maxAttempts: 10 },
      );

    // The first run: one mailbox is busy (450, try later), one refuses the address (550).
    smtp.deferRecipients.add(busy);
    smtp.rejectRecipients.add(refused);
    try {
      await expect(escalate()).rejects.toThrow();
    } finally {
      smtp.deferRecipients.delete(busy);
      smtp.rejectRecipients.delete(refused);
    }
    // The others were not kept waiting on the busy mailbox.
    expect(mailsTo(accepted)).toHaveLength(1);
    expect(mailsTo(busy)).toHaveLength(0);

    // The job runs again (its back-off): both mailboxes would take mail now.
    t.clock.now += 5 * 60_000;
    expect(await escalate()).toMatchObject({ status: 'success' });
    expect(mailsTo(accepted)).toHaveLength(1);
    expect(mailsTo(busy)).toHaveLength(1);
    // A permanent refusal is final: not tried again, so nothing arrives there.
    expect(mailsTo(refused)).toHaveLength(0);
    const rows = await t.db.kysely
      .selectFrom('emails')
      .select(['to_address', 'status', 'failure'])
      .where('organisation_id', '=', org)
      .where('kind', '=', 'case_escalation')
      .execute();
    expect(
      Object.fromEntries(rows.map((r) => [r.to_address.toLowerCase(), [r.status, r.failure]])),
    ).toEqual({
      [accepted]: ['sent', null],
      [busy]: ['sent', null],
      [refused]: ['failed', 'rejected'],
    });

    // And once more (a duplicate job, a worker that died after sending): nothing new goes out.
    expect(await escalate()).toMatchObject({ status: 'success' });
    expect([busy, accepted, refused].map((m) => mailsTo(m).length)).toEqual([1, 1, 0]);
  });
});
