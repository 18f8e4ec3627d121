import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportedWeek } from '../../src/modules/digest/digest-week.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildOrganisation,
  digestByRoleDefault,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const at = (local: string) => Date.parse(local);
const SECRET = 'bounce-secret-for-the-digest-0123456789';

type Report = { type: 'bounce' | 'complaint'; permanent?: boolean };

/**
 * The mail provider reports a complaint (the reader marked the weekly digest as spam) or a bounce
 * of a digest to the bounce webhook, by its Message-ID. A complaint or a hard bounce stops that
 * member's digest, as its one-click unsubscribe does, and is audited; a soft bounce changes
 * nothing. Each case has its own organisation and its own two Mondays.
 */
describeEachDialect('a complaint or bounce about the weekly digest', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  const owners: Record<string, Client> = {};

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: 'https://nps.garage.test',
      BOUNCE_WEBHOOK_SECRET: SECRET,
      SESSION_DAYS: '90', // the owners' sessions outlast the Mondays of every case
    });
    t.clock.now = at('2026-11-29T12:00+01:00');
    for (const name of ['complaint', 'hard', 'soft']) {
      const owner = await buildOrganisation(t, `Garage ${name}`);
      await digestByRoleDefault(t, owner.organisationId);
      owners[name] = owner;
    }
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  /** The owner's digest of one Monday arrives, the provider reports on it, then the next Monday. */
  async function reportAndWait(owner: Client, mondays: [string, string], report: Report) {
    const [first, second] = mondays.map((day) => at(`${day}T07:05+01:00`)) as [number, number];
    // Only the digests of these two weeks: the other cases' Mondays send this owner theirs too.
    const weeks = [first, second].map((now) => `<digest.${reportedWeek(now).label}.`);
    const digests = () =>
      smtp.received.filter(
        (m) => m.envelopeTo.includes(owner.email) && weeks.some((w) => m.messageId.startsWith(w)),
      );
    t.clock.now = first;
    await drain();
    const [digest] = digests();
    expect(digest, 'the first digest arrived').toBeDefined();
    const answer = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/bounces',
      headers: { authorization: `Bearer ${SECRET}` },
      payload: { ...report, messageId: digest?.messageId ?? '', email: owner.email },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    t.clock.now = second;
    await drain();
    const setting = await owner.request({ url: '/api/v1/me/weekly-digest' });
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'data'])
      .where('organisation_id', '=', owner.organisationId)
      .where('action', '=', 'member.digest_off')
      .execute();
    return {
      webhook: answer.json<{ result: string }>().result,
      weeklyDigest: setting.json<{ weeklyDigest: boolean }>().weeklyDigest,
      digests: digests().length,
      audit: audit.map((a) => ({ ...a, data: JSON.parse(a.data) as unknown })),
      messageId: digest?.messageId,
    };
  }

  it('stops the digest of a member who reported it as spam', async () => {
    const seen = await reportAndWait(owners.complaint!, ['2026-11-30', '2026-12-07'], {
      type: 'complaint',
    });
    expect(seen.messageId).toMatch(/^<digest\.2026-W48\./);
    expect(seen).toEqual({
      webhook: 'suppressed',
      weeklyDigest: false,
      digests: 1,
      audit: [
        {
          action: 'member.digest_off',
          data: { via: 'complaint', source: 'webhook:complaint', messageId: seen.messageId },
        },
      ],
      messageId: seen.messageId,
    });
  });

  it('stops the digest of a member whose address bounced for good', async () => {
    const seen = await reportAndWait(owners.hard!, ['2026-12-14', '2026-12-21'], {
      type: 'bounce',
    });
    expect(seen).toMatchObject({
      webhook: 'suppressed',
      weeklyDigest: false,
      digests: 1,
      audit: [{ data: { via: 'bounce', source: 'webhook:bounce' } }],
    });
  });

  it('keeps the digest after a soft bounce', async () => {
    const seen = await reportAndWait(owners.soft!, ['2027-01-04', '2027-01-11'], {
      type: 'bounce',
      permanent: false,
    });
    expect(seen).toMatchObject({ webhook: 'recorded', weeklyDigest: true, digests: 2, audit: [] });
  });
});
