import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { caseToEscalate } from '../support/case-escalation.ts';
import { describeEachDialect } from '../support/databases.ts';
import { startMailingTestApp, type MailingTestApp } from '../support/harness.ts';
import type { TestSmtpServer } from '../support/smtp-server.ts';

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
    const {
      organisationId: org,
      managers,
      escalate,
    } = await caseToEscalate(t, 'Garage Drie Chefs', ['Chef Een', 'Chef Twee', 'Chef Drie']);
    // Mailed in the order of their addresses: the busy mailbox first, before the others.
    const [busy, accepted, refused] = managers as [string, string, string];

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
