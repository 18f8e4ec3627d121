import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { PROGRAMME, enrolPromoter, setUpProgramme } from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import {
  buildOrganisation,
  digestByRoleDefault,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

type OutboxItem = {
  id: string;
  to: string;
  status: string;
  failure: string | null;
  retryable: boolean;
  messageId: string | null;
};

/**
 * A mail that failed to go out and is tried again carries what is true when it goes: the
 * programme's offer as the business has it now, not as it was at the first attempt. Its
 * Message-ID and its unsubscribe link stay the ones of the first attempt, and it arrives once.
 */
describeEachDialect('a mail tried again says what is true now', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      PUBLIC_URL: 'https://nps.garage.test',
    });
  });
  beforeEach(() => {
    t.clock.now = Date.UTC(2026, 2, 2, 9);
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();
  const outboxOf = async (owner: Client, kind: string) =>
    (await owner.request({ url: `/api/v1/outbox?kind=${kind}` })).json<{ items: OutboxItem[] }>()
      .items;
  const mailsTo = (address: string) => smtp.received.filter((m) => m.envelopeTo.includes(address));
  /** The headers as stored (the outbox masks personal links). */
  const storedHeaders = async (owner: Client, id: string) => {
    const row = await t.db.kysely
      .selectFrom('emails')
      .select('headers')
      .where('organisation_id', '=', owner.organisationId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return JSON.parse(row.headers) as Record<string, string>;
  };

  it('sends the programme invitation with the offer as it is now, under its first Message-ID', async () => {
    const owner = await buildOrganisation(t, 'Garage Nieuw Aanbod');
    await setUpProgramme(owner);
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const jan = 'jan@nieuwaanbod.nl';
    // The first attempt: Jan's mailbox is busy (450), the job will try again later.
    smtp.deferRecipients.add(jan);
    try {
      await enrolPromoter(
        t,
        { organisationId: owner.organisationId, surveyId: survey.id },
        { email: jan },
      );
      await drain();
    } finally {
      smtp.deferRecipients.delete(jan);
    }
    const [waiting] = await outboxOf(owner, 'ambassador_invite');
    expect(waiting).toMatchObject({ to: jan, status: 'queued', retryable: true });
    const unsubscribe = (await storedHeaders(owner, waiting?.id ?? ''))['List-Unsubscribe'];
    expect(unsubscribe).toMatch(/^<https:\/\/nps\.garage\.test\/a\/.+\/unsubscribe>$/);

    // Meanwhile the business changes its offer.
    const newOffer = 'Voor elke nieuwe klant die u aanbrengt: een gratis poetsbeurt.';
    await setUpProgramme(owner, {
      ...PROGRAMME,
      settings: { ...PROGRAMME.settings, offer: newOffer },
    });

    const res = await owner.request({
      method: 'POST',
      url: `/api/v1/outbox/${waiting?.id ?? ''}/retry`,
    });
    expect(res.statusCode, res.body).toBe(200);
    await drain();
    const mails = mailsTo(jan);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.text()).toContain(newOffer);
    expect(mail?.html()).toContain('gratis poetsbeurt');
    expect(mail?.text()).not.toContain(PROGRAMME.settings.offer);
    expect(mail?.messageId).toBe(waiting?.messageId);
    expect(mail?.headers.get('list-unsubscribe')).toBe(unsubscribe);
    // The outbox shows the message as it went out.
    const [sent] = await outboxOf(owner, 'ambassador_invite');
    expect(sent).toMatchObject({ id: waiting?.id, status: 'sent', retryable: false });
    const shown = (await owner.request({ url: `/api/v1/outbox/${waiting?.id ?? ''}` })).json<{
      text: string;
    }>();
    expect(shown.text).toContain(newOffer);
  });

  it('sends a weekly digest tried again as it reads now, with its first unsubscribe link', async () => {
    t.clock.now = Date.parse('2026-11-29T12:00+01:00');
    const owner = await buildOrganisation(t, 'Garage Oude Naam');
    await digestByRoleDefault(t, owner.organisationId);
    const to = owner.email.toLowerCase();
    // Monday morning: the owner's mailbox is busy (450), the digest's job will try again.
    t.clock.now = Date.parse('2026-11-30T07:05+01:00');
    smtp.deferRecipients.add(to);
    try {
      await drain();
    } finally {
      smtp.deferRecipients.delete(to);
    }
    const [waiting] = await outboxOf(owner, 'weekly_digest');
    expect(waiting).toMatchObject({ status: 'queued' });
    const unsubscribe = (await storedHeaders(owner, waiting?.id ?? ''))['List-Unsubscribe'];
    expect(unsubscribe).toMatch(/^<https:\/\/nps\.garage\.test\/u\/digest\/.+>$/);
    // Meanwhile the business takes its new name.
    await t.db.kysely
      .updateTable('organisations')
      .set({ name: 'Garage Nieuwe Naam' })
      .where('id', '=', owner.organisationId)
      .execute();

    t.clock.now += 2 * 60_000; // past the job's first back-off
    await drain();
    const mails = smtp.received.filter((m) => m.envelopeTo.some((a) => a.toLowerCase() === to));
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.subject).toContain('Garage Nieuwe Naam');
    expect(mail?.text()).not.toContain('Garage Oude Naam');
    expect(mail?.messageId).toBe(waiting?.messageId);
    expect(mail?.headers.get('list-unsubscribe')).toBe(unsubscribe);
  });
});
