import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation } from '../support/factories.ts';
import { asPersonSends } from '../support/friend-form.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const DAY = 86_400_000;

/**
 * Issue 12, must-show 4: no email ever goes to a referred friend unless that friend asked to be
 * contacted. The paths that email customers run here — the programme invitation, the friend's
 * welcome offer, an NPS send to all customers with its reminder, a detractor's answer and its review
 * request — around friends
 * who did and did not ask: one without the consent box (refused, nothing stored), software that
 * fills the hidden field (nothing stored), one who asked and later said "stop", one sent to
 * review, one who left only a phone number.
 */
describeEachDialect('no email to a referred friend who did not ask', (dialect) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let owner: Client;
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <nps@loyaal.test>',
      SESSION_DAYS: '90',
    });
    owner = await buildOrganisation(t);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('mails only friends who ticked the box, and none after they said stop', async () => {
    const put = await owner.request({
      method: 'PUT',
      url: '/api/v1/referral-programme',
      payload: {
        enabled: true,
        settings: {
          friendOffer: '10 % korting op uw eerste beurt',
          friendReward: {
            kind: 'discount',
            description: '10 % korting op de eerste beurt',
            costCents: 2000,
            validMonths: 3,
          },
          holdDays: 0,
        },
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    // Review requests on, an hour after an answer: a path that emails respondents who agreed to
    // be contacted. A friend is no respondent; the friends who became customers here never answer.
    const reviews = await owner.request({
      method: 'PUT',
      url: '/api/v1/review-settings',
      payload: {
        sites: [{ kind: 'google', url: 'https://g.page/r/garage/review' }],
        askOnThanks: true,
        emailAfterHours: 1,
      },
    });
    expect(reviews.statusCode, reviews.body).toBe(200);
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    const surveyId = survey.json<{ id: string }>().id;
    const jan = await buildContact(t.db.kysely, owner.organisationId, {
      name: 'Jan de Vries',
      email: 'jan@devries.nl',
    });
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: owner.organisationId, surveyId, contactId: jan.id },
      { planned_at: t.clock.now },
    );
    await t.app.inject({
      method: 'POST',
      url: `/r/${inv.token}`,
      headers: FORM,
      payload: 'score=10&ambassadorOptIn=1',
    });
    const [a] = (await owner.request({ url: '/api/v1/ambassadors' })).json<{
      items: { id: string; code: string }[];
    }>().items;
    const detail = await owner.request({ url: `/api/v1/ambassadors/${a?.id}` });
    const link = new URL(detail.json<{ linkUrl: string }>().linkUrl).pathname;
    const leave = (payload: string) =>
      t.app.inject({
        method: 'POST',
        url: link,
        headers: FORM,
        payload: asPersonSends(t, owner.organisationId, link, payload),
      });

    // Friends who asked: Anna (email), Dirk (email, says stop later), Chris (throwaway address,
    // sent to review), Bea (phone only). Friends who did not: Eva (no consent), a bot.
    expect((await leave('name=Anna&email=anna%40vriend.nl&consent=1')).statusCode).toBe(303);
    expect((await leave('name=Dirk&email=dirk%40vriend.nl&consent=1')).statusCode).toBe(303);
    expect((await leave('name=Chris&email=chris%40mailinator.com&consent=1')).statusCode).toBe(303);
    expect((await leave('name=Bea&phone=06-12345678&consent=1')).statusCode).toBe(303);
    expect((await leave('name=Eva&email=eva%40vriend.nl')).statusCode).toBe(400);
    expect(
      (await leave('name=Bot&email=bot%40vriend.nl&consent=1&website=https%3A%2F%2Fx.example'))
        .statusCode,
    ).toBe(303);
    await drain();

    const to = (address: string) =>
      smtp.received.filter((m) => m.envelopeTo.includes(address)).map((m) => m.subject);
    expect(to('anna@vriend.nl')).toHaveLength(1);
    const dirkMail = smtp.received.find((m) => m.envelopeTo.includes('dirk@vriend.nl'));
    expect(dirkMail).toBeDefined();

    // Dirk says stop through the one-click link in his welcome email.
    const stop = /<(https?:\/\/[^>]+\/v\/[A-Za-z0-9_-]{22}\/unsubscribe)>/.exec(
      dirkMail?.headers.get('list-unsubscribe') ?? '',
    )?.[1];
    expect(stop).toBeTruthy();
    const stopped = await t.app.inject({ method: 'POST', url: new URL(stop ?? '').pathname });
    expect(stopped.statusCode).toBe(200);

    // The other paths: the friends' first visits (they become customers), the programme
    // invitation again, an NPS send to all customers with its reminder, a detractor's answer.
    const leads = (await owner.request({ url: '/api/v1/referrals' })).json<{
      items: { id: string; friend: { name: string } }[];
    }>().items;
    for (const l of leads) {
      const conv = await owner.request({
        method: 'POST',
        url: `/api/v1/referrals/${l.id}/conversion`,
        payload: { amountCents: 5000 },
      });
      expect(conv.statusCode, conv.body).toBe(200);
    }
    await owner.request({ method: 'POST', url: `/api/v1/ambassadors/${a?.id}/invite` });
    const send = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends`,
      payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
    });
    expect(send.statusCode, send.body).toBeLessThan(300);
    await drain();
    t.clock.now += 10 * DAY;
    await drain();
    const piet = await buildContact(t.db.kysely, owner.organisationId, {
      email: 'piet@klant.nl',
    });
    const sad = await buildInvitation(
      t.db.kysely,
      { organisationId: owner.organisationId, surveyId, contactId: piet.id },
      { planned_at: t.clock.now },
    );
    await t.app.inject({
      method: 'POST',
      url: `/r/${sad.token}`,
      headers: FORM,
      payload: 'score=2&comment=Slecht&mayContact=1',
    });
    await drain();
    t.clock.now += 2 * 60 * 60_000;
    await drain();
    // The review path ran: the detractor who agreed to be contacted was asked, whatever the score.
    expect(to('piet@klant.nl')).toContain('Wilt u een review schrijven over Garage De Vries?');
    expect(to('jan@devries.nl').some((s) => s?.startsWith('Wilt u een review'))).toBe(false);

    // Those who did not ask never got anything; Dirk got nothing after his stop; the throwaway
    // address got no welcome offer (its reward waits for review), only — once a customer who
    // asked to be contacted — the survey every customer gets.
    expect(to('eva@vriend.nl')).toEqual([]);
    expect(to('bot@vriend.nl')).toEqual([]);
    expect(to('dirk@vriend.nl')).toHaveLength(1);
    expect(to('chris@mailinator.com').some((s) => s?.startsWith('Welkom'))).toBe(false);
    const friends = ['anna@vriend.nl', 'dirk@vriend.nl', 'chris@mailinator.com', 'eva@vriend.nl'];
    const toFriends = smtp.received.filter((m) => m.envelopeTo.some((x) => friends.includes(x)));
    for (const m of toFriends) {
      expect(
        m.envelopeTo.some((x) =>
          ['anna@vriend.nl', 'dirk@vriend.nl', 'chris@mailinator.com'].includes(x),
        ),
      ).toBe(true);
    }
    // The paths did run: the survey and its reminder reached the friend who asked, now a customer.
    expect(to('anna@vriend.nl')).toEqual([
      'Welkom bij Garage De Vries',
      'Eén vraag van Garage De Vries',
      'Herinnering: Eén vraag van Garage De Vries',
    ]);
  }, 120_000);
});
