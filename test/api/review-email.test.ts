import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendReviewEmail } from '../../src/modules/reviews/review-email.service.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SITES = [
  { kind: 'google', url: 'https://g.page/r/garage-de-vries/review' },
  { kind: 'custom', url: 'https://garage.example/review', label: 'Onze eigen site' },
];

/**
 * The review-request email (issue 12) on both databases, through a real SMTP server and a
 * controllable clock: some hours after an answer from a respondent who agreed to be contacted —
 * whatever the score — one email with the organisation's review sites, the disclosure page and a
 * one-click unsubscribe (RFC 8058) that stops review requests only, never the NPS surveys. No
 * consent, no email; an edited answer, no second email.
 */
describeEachDialect('the review-request email', (dialect) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <nps@loyaal.test>',
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  /** An organisation with review sites and the email after `hours` hours. */
  async function organisation(name: string, hours: number | null = 24) {
    const owner = await buildOrganisation(t, name);
    const put = await owner.request({
      method: 'PUT',
      url: '/api/v1/review-settings',
      payload: { sites: SITES, askOnThanks: true, emailAfterHours: hours },
    });
    expect(put.statusCode, put.body).toBe(200);
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    return { owner, surveyId: survey.id };
  }

  /** A new customer answers on their personal link; the invitation's token for an edit. */
  async function answer(
    org: { owner: Client; surveyId: string },
    o: { score: number; mayContact: boolean; email: string; contactId?: string },
  ) {
    const contactId =
      o.contactId ??
      (
        await buildContact(t.db.kysely, org.owner.organisationId, {
          email: o.email,
          first_name: 'Anna',
        })
      ).id;
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: org.owner.organisationId, surveyId: org.surveyId, contactId },
      { planned_at: t.clock.now },
    );
    const post = await t.app.inject({
      method: 'POST',
      url: `/r/${inv.token}`,
      headers: FORM,
      payload: `score=${o.score}${o.mayContact ? '&mayContact=1' : ''}`,
    });
    expect(post.statusCode, post.body).toBe(303);
    return { token: inv.token, contactId };
  }

  const to = (address: string) => smtp.received.filter((m) => m.envelopeTo.includes(address));

  it('arrives the chosen hours after the answer, with the sites, the disclosure page and a one-click unsubscribe', async () => {
    const org = await organisation('Garage De Vries');
    const answeredAt = t.clock.now;
    await answer(org, { score: 9, mayContact: true, email: 'anna@klant.nl' });
    await drain();
    expect(to('anna@klant.nl')).toEqual([]);
    t.clock.now = answeredAt + 24 * HOUR - 60_000;
    await drain();
    expect(to('anna@klant.nl')).toEqual([]);
    t.clock.now = answeredAt + 24 * HOUR;
    await drain();
    const [mail] = to('anna@klant.nl');
    expect(to('anna@klant.nl')).toHaveLength(1);
    expect(mail?.subject).toBe('Wilt u een review schrijven over Garage De Vries?');
    expect(mail?.from).toContain('Garage De Vries');
    const text = mail?.text() ?? '';
    expect(text).toContain('Beste Anna,');
    expect(text).toContain('Review op Google: https://g.page/r/garage-de-vries/review');
    expect(text).toContain('Review op Onze eigen site: https://garage.example/review');
    expect(text).toContain('welk cijfer u ook gaf');
    expect(text).toContain(
      `Hoe wij reviews verzamelen: http://localhost:3000/o/${org.owner.organisationId}/reviews?lang=nl`,
    );
    const html = mail?.html() ?? '';
    expect(html).toContain('href="https://g.page/r/garage-de-vries/review"');
    expect(html).toContain(`/o/${org.owner.organisationId}/reviews?lang=nl`);
    // RFC 8058: the one-click headers, and the same link in the body.
    expect(mail?.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const link = /^<(https?:\/\/[^>]+\/rv\/([A-Za-z0-9_-]{43}))>$/.exec(
      mail?.headers.get('list-unsubscribe') ?? '',
    );
    expect(link).not.toBeNull();
    expect(text).toContain(`Geen reviewverzoeken meer: ${link?.[1]}`);
    // Kept as a review request in the emails table, sent.
    const row = await t.db.kysely
      .selectFrom('emails')
      .select(['kind', 'status'])
      .where('organisation_id', '=', org.owner.organisationId)
      .where('to_address', '=', 'anna@klant.nl')
      .execute();
    expect(row).toEqual([{ kind: 'review_request', status: 'sent' }]);
    // The disclosure page says so too.
    const policy = await t.app.inject({ url: `/o/${org.owner.organisationId}/reviews` });
    expect(policy.body).toContain('krijgt 24 uur na het antwoord ook één e-mail met die vraag');
    // Nothing more later.
    t.clock.now += 10 * DAY;
    await drain();
    expect(to('anna@klant.nl')).toHaveLength(1);
  }, 120_000);

  it('sends a 3 exactly the email a 10 gets, and nothing to one who did not agree to be contacted', async () => {
    const org = await organisation('Installatiebedrijf Jansen', 2);
    const start = t.clock.now;
    await answer(org, { score: 3, mayContact: true, email: 'drie@klant.nl' });
    await answer(org, { score: 10, mayContact: true, email: 'tien@klant.nl' });
    await answer(org, { score: 10, mayContact: false, email: 'stil-tien@klant.nl' });
    await answer(org, { score: 2, mayContact: false, email: 'stil-twee@klant.nl' });
    t.clock.now = start + 2 * HOUR;
    await drain();
    const three = to('drie@klant.nl');
    const ten = to('tien@klant.nl');
    expect(three).toHaveLength(1);
    expect(ten).toHaveLength(1);
    // Identical but for the personal unsubscribe link.
    const strip = (s: string) => s.replace(/\/rv\/[A-Za-z0-9_-]+/g, '/rv/TOKEN');
    expect(strip(three[0]?.text() ?? '')).toBe(strip(ten[0]?.text() ?? ''));
    expect(strip(three[0]?.html() ?? '')).toBe(strip(ten[0]?.html() ?? ''));
    expect(three[0]?.subject).toBe(ten[0]?.subject);
    t.clock.now += 10 * DAY;
    await drain();
    expect(to('stil-tien@klant.nl')).toEqual([]);
    expect(to('stil-twee@klant.nl')).toEqual([]);
  }, 120_000);

  it('sends one email for an answer edited before and after it went, and none when the edit withdraws consent', async () => {
    const org = await organisation('Garage Wijziging', 4);
    const start = t.clock.now;
    const edited = await answer(org, { score: 6, mayContact: true, email: 'wijzig@klant.nl' });
    const withdrawn = await answer(org, { score: 8, mayContact: true, email: 'terug@klant.nl' });
    const edit = (token: string, payload: string) =>
      t.app.inject({ method: 'POST', url: `/r/${token}`, headers: FORM, payload });
    t.clock.now = start + HOUR;
    expect((await edit(edited.token, 'score=9&mayContact=1')).statusCode).toBe(303);
    expect((await edit(withdrawn.token, 'score=8')).statusCode).toBe(303);
    t.clock.now = start + 4 * HOUR;
    await drain();
    expect(to('wijzig@klant.nl')).toHaveLength(1);
    expect(to('terug@klant.nl')).toEqual([]);
    // An edit after the email went schedules nothing new.
    t.clock.now = start + 5 * HOUR;
    expect((await edit(edited.token, 'score=3&mayContact=1')).statusCode).toBe(303);
    t.clock.now += 10 * DAY;
    await drain();
    expect(to('wijzig@klant.nl')).toHaveLength(1);
  }, 120_000);

  it('stops review requests with one click (POST) but not the NPS surveys, and asks others once a year', async () => {
    const org = await organisation('Garage Afmelden', 1);
    const start = t.clock.now;
    const stop = await answer(org, { score: 4, mayContact: true, email: 'stop@klant.nl' });
    const stay = await answer(org, { score: 9, mayContact: true, email: 'blijf@klant.nl' });
    t.clock.now = start + HOUR;
    await drain();
    const link = /^<(https?:\/\/[^>]+)>$/.exec(
      to('stop@klant.nl')[0]?.headers.get('list-unsubscribe') ?? '',
    )?.[1];
    expect(link).toBeTruthy();
    const path = new URL(link ?? 'http://x/').pathname;
    // A GET (a link scanner) changes nothing; it asks.
    const asked = await t.app.inject({ url: path });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('Geen reviewverzoeken meer?');
    expect(asked.body).toContain('de korte enquêtes blijft u krijgen');
    // The mail client's one-click POST.
    const posted = await t.app.inject({
      method: 'POST',
      url: path,
      headers: FORM,
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(posted.statusCode).toBe(200);
    expect(posted.body).toContain('U bent afgemeld voor reviewverzoeken');
    expect((await t.app.inject({ method: 'POST', url: path, headers: FORM })).statusCode).toBe(200);
    // One consent event, saying what it was; the contact stays subscribed to the surveys.
    const events = await org.owner.request({ url: `/api/v1/contacts/${stop.contactId}` });
    expect(events.json<{ unsubscribedAt: string | null }>().unsubscribedAt).toBeNull();
    const consent = await t.db.kysely
      .selectFrom('consent_events')
      .select(['kind', 'source'])
      .where('organisation_id', '=', org.owner.organisationId)
      .where('contact_id', '=', stop.contactId)
      .execute();
    expect(consent.map((c) => c.kind)).toEqual(['review_unsubscribed']);
    expect(consent[0]?.source).toMatch(/^review-email:/);

    // Within the year, a second answer gets no second review email (once a year per contact).
    t.clock.now += 30 * DAY;
    await answer(org, { score: 9, mayContact: true, email: '', contactId: stay.contactId });
    t.clock.now += 2 * HOUR;
    await drain();
    expect(to('blijf@klant.nl')).toHaveLength(1);

    // A year later both are invited to the NPS survey again and both get it; both answer
    // agreeing to be contacted; only the one who did not unsubscribe is asked for a review.
    t.clock.now = start + 400 * DAY;
    // A year on, the owner's session has long ended: a colleague with a fresh one sends.
    const sender = await buildMember(t, org.owner.organisationId, 'owner');
    const send = await sender.request({
      method: 'POST',
      url: `/api/v1/surveys/${org.surveyId}/sends`,
      payload: {
        selection: { kind: 'contacts', contactIds: [stop.contactId, stay.contactId] },
        schedule: { kind: 'now' },
      },
    });
    expect(send.statusCode, send.body).toBeLessThan(300);
    await drain();
    const nps = (address: string) =>
      to(address).filter((m) => m.subject.startsWith('Eén vraag van Garage Afmelden'));
    expect(nps('stop@klant.nl')).toHaveLength(1);
    expect(nps('blijf@klant.nl')).toHaveLength(1);
    for (const contactId of [stop.contactId, stay.contactId]) {
      const inv = await t.db.kysely
        .selectFrom('invitations')
        .select('token')
        .where('organisation_id', '=', org.owner.organisationId)
        .where('contact_id', '=', contactId)
        .orderBy('planned_at', 'desc')
        .executeTakeFirstOrThrow();
      const post = await t.app.inject({
        method: 'POST',
        url: `/r/${inv.token}`,
        headers: FORM,
        payload: 'score=10&mayContact=1',
      });
      expect(post.statusCode, post.body).toBe(303);
    }
    t.clock.now += 2 * HOUR;
    await drain();
    const reviews = (address: string) =>
      to(address).filter((m) => m.subject.startsWith('Wilt u een review schrijven'));
    expect(reviews('stop@klant.nl')).toHaveLength(1);
    expect(reviews('blijf@klant.nl')).toHaveLength(2);
  }, 180_000);

  it('asks a contact once when the jobs of two of their answers run at the same moment', async () => {
    const org = await organisation('Fietsenmaker Bakker', 1);
    const email = 'tweemaal@klant.nl';
    const first = await answer(org, { score: 8, mayContact: true, email });
    await answer(org, { score: 9, mayContact: true, email, contactId: first.contactId });
    const answers = await t.db.kysely
      .selectFrom('responses')
      .select('id')
      .where('organisation_id', '=', org.owner.organisationId)
      .where('contact_id', '=', first.contactId)
      .execute();
    expect(answers).toHaveLength(2);
    // Both jobs come due together and run in parallel, as two workers (or one with concurrency 2)
    // run them: each reads the contact's earlier requests before the other has written its own.
    t.clock.now += 2 * HOUR;
    const results = await Promise.all(
      answers.map((a) => sendReviewEmail(t.deps, org.owner.organisationId, a.id)),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['skipped', 'success']);
    expect(results.find((r) => r.status === 'skipped')?.detail).toBe('asked_recently');
    expect(to(email)).toHaveLength(1);
    const requests = await t.db.kysely
      .selectFrom('review_requests')
      .select('sent_at')
      .where('organisation_id', '=', org.owner.organisationId)
      .execute();
    expect(requests.map((r) => r.sent_at !== null)).toEqual([true]);
  }, 120_000);

  it('keeps the email in the local outbox when there is no mail server, and never counts it as sent', async () => {
    const local = await startTestApp(dialect, {});
    try {
      const owner = await buildOrganisation(local, 'Garage Zonder Server');
      await owner.request({
        method: 'PUT',
        url: '/api/v1/review-settings',
        payload: { sites: SITES, askOnThanks: true, emailAfterHours: 1 },
      });
      const survey = await buildSurvey(local.db.kysely, owner.organisationId);
      const c = await buildContact(local.db.kysely, owner.organisationId, {
        email: 'lokaal@klant.nl',
      });
      const inv = await buildInvitation(
        local.db.kysely,
        { organisationId: owner.organisationId, surveyId: survey.id, contactId: c.id },
        { planned_at: local.clock.now },
      );
      await local.app.inject({
        method: 'POST',
        url: `/r/${inv.token}`,
        headers: FORM,
        payload: 'score=7&mayContact=1',
      });
      local.clock.now += HOUR;
      await startWorker(local.deps, { concurrency: 1 }, false).drain();
      const emails = await local.db.kysely
        .selectFrom('emails')
        .select(['kind', 'status', 'transport'])
        .where('organisation_id', '=', owner.organisationId)
        .where('kind', '=', 'review_request')
        .execute();
      expect(emails).toEqual([{ kind: 'review_request', status: 'held', transport: 'outbox' }]);
      const request = await local.db.kysely
        .selectFrom('review_requests')
        .select(['sent_at'])
        .where('organisation_id', '=', owner.organisationId)
        .execute();
      expect(request).toEqual([{ sent_at: null }]);
    } finally {
      await local.close();
    }
  }, 120_000);

  it('sends nothing when the organisation switched the email off, and the export and erasure cover it', async () => {
    const off = await organisation('Garage Zonder Reviewmail', null);
    const start = t.clock.now;
    await answer(off, { score: 9, mayContact: true, email: 'uit@klant.nl' });
    t.clock.now = start + 30 * DAY;
    await drain();
    expect(to('uit@klant.nl')).toEqual([]);

    const on = await organisation('Garage Privacy', 1);
    const asked = await answer(on, { score: 9, mayContact: true, email: 'privacy@klant.nl' });
    t.clock.now += HOUR;
    await drain();
    expect(to('privacy@klant.nl')).toHaveLength(1);
    const exported = await on.owner.request({
      url: `/api/v1/contacts/${asked.contactId}/export`,
    });
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.json<{ reviewRequests: { sentAt: string | null }[] }>().reviewRequests).toEqual(
      [expect.objectContaining({ sentAt: new Date(t.clock.now).toISOString() })],
    );
    const erased = await on.owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${asked.contactId}/erase`,
    });
    expect(erased.statusCode, erased.body).toBeLessThan(300);
    const left = await t.db.kysely
      .selectFrom('review_requests')
      .select('id')
      .where('organisation_id', '=', on.owner.organisationId)
      .execute();
    expect(left).toEqual([]);
    const mail = await t.db.kysely
      .selectFrom('emails')
      .select(['to_address', 'text_body'])
      .where('organisation_id', '=', on.owner.organisationId)
      .execute();
    expect(mail).toEqual([{ to_address: 'erased', text_body: '' }]);
  }, 120_000);
});
