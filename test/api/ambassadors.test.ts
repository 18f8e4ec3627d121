import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { answerAsPromoter, PROGRAMME as GARAGE_PROGRAMME } from '../support/ambassadors.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { asPersonSends } from '../support/friend-form.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { randomBytes } from 'node:crypto';
import { makeCode, randomBytesFor } from '../../src/domain/referrals/codes.ts';
import { ADDRESS_MISS_LIMIT } from '../../src/modules/ambassadors/rewards.service.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const DAY = 86_400_000;

/** The garage's programme, double-sided: the friend gets a welcome discount too. */
const PROGRAMME = {
  enabled: true,
  settings: {
    ...GARAGE_PROGRAMME.settings,
    friendOffer: '10 % korting op uw eerste onderhoudsbeurt',
    friendReward: {
      kind: 'discount',
      description: '10 % korting op de eerste beurt',
      costCents: 2000,
      validMonths: 3,
    },
  },
};

/**
 * The referral programme through its API and public pages, on both databases, with a real SMTP
 * server: a promoter opts in → register and programme email; a friend leaves details → lead and
 * welcome email; fraud rules; conversion; hold; refund; redemption once; tenant isolation.
 */
describeEachDialect('the referral programme', (dialect) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let owner: Client;
  let orgId: string;
  let surveyId: string;
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Loyaal <nps@loyaal.test>',
      SESSION_DAYS: '90',
    });
    owner = await buildOrganisation(t);
    orgId = owner.organisationId;
    surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
    const res = await owner.request({
      method: 'PUT',
      url: '/api/v1/referral-programme',
      payload: PROGRAMME,
    });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  /** A customer answers on their personal link, optionally opting in as ambassador. */
  const promoter = (email: string, optIn: boolean, extra: Record<string, unknown> = {}) =>
    answerAsPromoter(
      t,
      { organisationId: orgId, surveyId },
      { email, ...extra },
      { optIn, comment: 'Top' },
    );

  const register = async () =>
    (await owner.request({ url: '/api/v1/ambassadors' })).json<{
      items: {
        id: string;
        contactId: string;
        consent: { text: string; source: string };
        latestScore: number;
      }[];
    }>().items;

  async function ambassadorLinks(contactId: string) {
    const a = (await register()).find((x) => x.contactId === contactId);
    if (!a) throw new Error('not in the register');
    const detail = (await owner.request({ url: `/api/v1/ambassadors/${a.id}` })).json<{
      shareUrl: string;
      linkUrl: string;
    }>();
    return {
      id: a.id,
      share: new URL(detail.shareUrl).pathname,
      link: new URL(detail.linkUrl).pathname,
    };
  }

  const leave = (link: string, body: string) =>
    t.app.inject({
      method: 'POST',
      url: link,
      headers: FORM,
      payload: asPersonSends(t, orgId, link, body),
    });

  const referralsOf = async (ambassadorId: string) =>
    (await owner.request({ url: `/api/v1/referrals?ambassadorId=${ambassadorId}` })).json<{
      items: {
        id: string;
        status: string;
        verdict: string;
        findings: { rule: string; text: string }[];
        friend: { email: string | null };
      }[];
    }>().items;

  async function rewardsOf(ambassadorId: string) {
    const res = await owner.request({ url: '/api/v1/rewards' });
    expect(res.statusCode, res.body).toBe(200);
    return res
      .json<{
        items: {
          id: string;
          ambassadorId: string;
          recipient: string;
          status: string;
          code: string;
        }[];
      }>()
      .items.filter((r) => r.ambassadorId === ambassadorId);
  }

  it('enrols an opted-in promoter with the consent they gave, and mails the programme separately', async () => {
    await drain();
    const before = smtp.received.length;
    const enrolled = (await register()).length;
    const jan = await promoter('jan@devries.nl', true);
    await promoter('piet@example.nl', false);
    const row = (await register()).find((a) => a.contactId === jan.id);
    expect(row?.consent.source).toBe('survey');
    expect(row?.consent.text).toBe('Wilt u zich bekendmaken als ambassadeur van Garage De Vries?');
    expect(row?.latestScore).toBe(10);
    expect((await register()).length).toBe(enrolled + 1);

    await drain();
    const mails = smtp.received.slice(before);
    expect(mails.map((m) => m.envelopeTo)).toEqual([['jan@devries.nl']]);
    const mail = mails[0];
    expect(mail?.subject).toContain('Uw persoonlijke link');
    expect(mail?.text()).toContain(
      'Voor elke nieuwe klant die u aanbrengt: een gratis APK-keuring.',
    );
    expect(mail?.text()).not.toContain('score=');
    expect(mail?.headers.get('list-unsubscribe')).toMatch(/\/a\/[A-Za-z0-9_-]{22}\/unsubscribe>$/);
    expect(mail?.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
  });

  it('takes a friend’s details with consent, mails only that friend, and pays after the hold', async () => {
    const jan = await promoter('jan2@devries.nl', true);
    const links = await ambassadorLinks(jan.id);
    expect(links.link).toMatch(/^\/f\/[A-Za-z0-9_-]{22}$/);
    const page = await t.app.inject({ url: links.link });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'nonce-");
    expect(page.body).toContain('Iemand die u kent raadt Garage De Vries aan');

    // Without consent nothing is stored, and the friend is told what is missing.
    const refused = await leave(links.link, 'name=Karin+Bakker&email=karin%40example.nl');
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Vink aan dat Garage De Vries contact met u mag opnemen');
    expect(await referralsOf(links.id)).toEqual([]);

    await drain();
    const before = smtp.received.length;
    const ok = await leave(
      links.link,
      'name=Karin+Bakker&email=karin%40example.nl&phone=&consent=1',
    );
    expect(ok.statusCode).toBe(303);
    const [lead] = await referralsOf(links.id);
    expect(lead?.verdict).toBe('eligible');
    await drain();
    const welcome = smtp.received.slice(before);
    expect(welcome.map((m) => m.envelopeTo)).toEqual([['karin@example.nl']]);
    expect(welcome[0]?.text()).toContain('10 % korting op de eerste beurt');
    expect(welcome[0]?.headers.get('list-unsubscribe')).toMatch(
      /\/v\/[A-Za-z0-9_-]{22}\/unsubscribe>$/,
    );

    // The first paid visit: the ambassador's voucher waits for the hold period.
    const conv = await owner.request({
      method: 'POST',
      url: `/api/v1/referrals/${lead?.id}/conversion`,
      payload: { amountCents: 8900, reference: 'WO-1001' },
    });
    expect(conv.statusCode, conv.body).toBe(200);
    let ambassadorReward = (await rewardsOf(links.id)).find((r) => r.recipient === 'ambassador');
    expect(ambassadorReward?.status).toBe('pending');
    await drain();
    expect((await rewardsOf(links.id)).find((r) => r.recipient === 'ambassador')?.status).toBe(
      'pending',
    );

    t.clock.now += 14 * DAY;
    await drain();
    ambassadorReward = (await rewardsOf(links.id)).find((r) => r.recipient === 'ambassador');
    expect(ambassadorReward?.status).toBe('issued');

    // Redeemed once through the API; the second time is refused with the reason.
    const first = await owner.request({
      method: 'POST',
      url: '/api/v1/vouchers/redeem',
      payload: { code: ambassadorReward?.code.toLowerCase() },
    });
    expect(first.statusCode, first.body).toBe(200);
    const second = await owner.request({
      method: 'POST',
      url: '/api/v1/vouchers/redeem',
      payload: { code: ambassadorReward?.code },
    });
    expect(second.statusCode).toBe(409);
    expect(
      second.json<{ error: { fields: { problem: string }[] } }>().error.fields[0]?.problem,
    ).toBe('voucher_already_redeemed');
  });

  it('never pays for a self-referral, and says why', async () => {
    const jan = await promoter('jan3@devries.nl', true, { phone: '06-11112222' });
    const links = await ambassadorLinks(jan.id);
    await leave(links.link, 'name=Jan+Zelf&email=&phone=%2B31+6+1111+2222&consent=1');
    const [lead] = await referralsOf(links.id);
    expect(lead?.verdict).toBe('ineligible');
    expect(lead?.findings[0]?.text).toBe(
      'Zelfde telefoonnummer als de ambassadeur: geen beloning.',
    );
    await owner.request({
      method: 'POST',
      url: `/api/v1/referrals/${lead?.id}/conversion`,
      payload: { amountCents: 5000 },
    });
    t.clock.now += 15 * DAY;
    await drain();
    expect(await rewardsOf(links.id)).toEqual([]);
  });

  it('knows a friend is already a customer by a phone number written another way', async () => {
    const customer = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Els Visser', email: 'els@visser.test', phone: '06 2345 6789' },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    // A customer for a while (one registered at the counter the same day is the friend).
    t.clock.now += 2 * DAY;
    const piet = await promoter('piet4@devries.nl', true);
    const links = await ambassadorLinks(piet.id);
    // Another address, the number in the "+31 (0)6" notation: still the customer Els.
    await leave(
      links.link,
      'name=Els&email=els.nieuw%40elders.test&phone=%2B31+(0)6+23456789&consent=1',
    );
    const [lead] = await referralsOf(links.id);
    expect(lead?.verdict).toBe('ineligible');
    expect(lead?.findings.map((f) => f.text)).toContain(
      'Was al klant (zelfde telefoonnummer): geen beloning.',
    );
  });

  it('pays nothing when the friend turns out to be an existing customer buying again', async () => {
    // The same address, and the same Gmail mailbox written another way (dots, a +tag): the
    // lookup by address finds the first at once; the second is known when his visit converts.
    const cases = [
      { customer: 'lotte.kok@example.nl', friend: 'lotte.kok%40example.nl', promoter: 'ruud6' },
      {
        customer: 'wimsmit@gmail.com',
        friend: 'wim.smit%2Bkorting%40gmail.com',
        promoter: 'kees5',
      },
    ];
    for (const c of cases) {
      const customer = await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { name: 'Klant', email: c.customer },
      });
      expect(customer.statusCode, customer.body).toBe(201);
      t.clock.now += 2 * DAY;
      const ambassador = await promoter(`${c.promoter}@devries.nl`, true);
      const links = await ambassadorLinks(ambassador.id);
      await leave(links.link, `name=Klant&email=${c.friend}&phone=&consent=1`);
      t.clock.now += DAY;
      // Their next paid visit, recorded for the customer: the lead converts, without a reward.
      const visit = await owner.request({
        method: 'POST',
        url: '/api/v1/visits',
        payload: {
          customer: { email: c.customer },
          visitedAt: new Date(t.clock.now).toISOString().slice(0, 10),
          amount: 120,
        },
      });
      expect(visit.statusCode, visit.body).toBeLessThan(300);
      await drain();
      const [converted] = await referralsOf(links.id);
      expect(converted?.status).toBe('converted');
      expect(converted?.verdict, c.customer).toBe('ineligible');
      expect(converted?.findings.map((f) => f.text)).toContain(
        'Was al klant (zelfde e-mailadres): geen beloning.',
      );
      // An eligible conversion would hold the ambassador's reward as pending from now on.
      expect((await rewardsOf(links.id)).filter((r) => r.recipient === 'ambassador')).toEqual([]);
    }
  });

  it('rewards a friend the garage registered at the counter just before their details went in', async () => {
    const kees = await promoter('kees7@devries.nl', true);
    const links = await ambassadorLinks(kees.id);
    // At check-in the new customer is registered; then the friend's details are entered.
    const email = 'nieuw.aan.de.balie@example.nl';
    const customer = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Nieuwe Klant', email },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    t.clock.now += 10 * 60_000;
    await leave(
      links.link,
      `name=Nieuwe+Klant&email=${encodeURIComponent(email)}&phone=&consent=1`,
    );
    const [lead] = await referralsOf(links.id);
    expect(lead?.verdict).toBe('eligible');
    const visit = await owner.request({
      method: 'POST',
      url: '/api/v1/visits',
      payload: {
        customer: { email },
        visitedAt: new Date(t.clock.now).toISOString().slice(0, 10),
        amount: 95,
      },
    });
    expect(visit.statusCode, visit.body).toBeLessThan(300);
    await drain();
    const [converted] = await referralsOf(links.id);
    expect(converted).toMatchObject({ status: 'converted', verdict: 'eligible' });
    expect(
      (await rewardsOf(links.id)).filter((r) => r.recipient === 'ambassador').map((r) => r.status),
    ).toEqual(['pending']);
  });

  it('voids the reward when the first visit is refunded within the hold', async () => {
    const jan = await promoter('jan4@devries.nl', true);
    const links = await ambassadorLinks(jan.id);
    await leave(links.link, 'name=Els+Smit&email=els%40example.nl&consent=1');
    const [lead] = await referralsOf(links.id);
    await owner.request({
      method: 'POST',
      url: `/api/v1/referrals/${lead?.id}/conversion`,
      payload: { amountCents: 5000 },
    });
    t.clock.now += 3 * DAY;
    const cancel = await owner.request({
      method: 'POST',
      url: `/api/v1/referrals/${lead?.id}/conversion/cancel`,
    });
    expect(cancel.json()).toEqual({ voided: 1 });
    t.clock.now += 12 * DAY;
    await drain();
    expect((await rewardsOf(links.id)).find((r) => r.recipient === 'ambassador')?.status).toBe(
      'voided',
    );
  });

  it('sends a disposable address to the review queue and pays only after approval', async () => {
    const jan = await promoter('jan5@devries.nl', true);
    const links = await ambassadorLinks(jan.id);
    await drain();
    const before = smtp.received.length;
    await leave(links.link, 'name=Bot&email=x%40mailinator.com&consent=1');
    const [lead] = await referralsOf(links.id);
    expect(lead?.verdict).toBe('review');
    await owner.request({
      method: 'POST',
      url: `/api/v1/referrals/${lead?.id}/conversion`,
      payload: { amountCents: 5000 },
    });
    t.clock.now += 15 * DAY;
    await drain();
    // No welcome offer for a flagged lead, and no reward without a person's decision.
    expect(smtp.received.length).toBe(before);
    const reward = (await rewardsOf(links.id)).find((r) => r.recipient === 'ambassador');
    expect(reward?.status).toBe('review');
    const approve = await owner.request({
      method: 'POST',
      url: `/api/v1/rewards/${reward?.id}/review`,
      payload: { decision: 'approve', reason: 'Gebeld: echte nieuwe klant' },
    });
    expect(approve.statusCode, approve.body).toBe(200);
    expect((await rewardsOf(links.id)).find((r) => r.id === reward?.id)?.status).toBe('issued');
  });

  it('keeps another organisation’s links, codes and records out of reach', async () => {
    const jan = await promoter('jan6@devries.nl', true);
    const links = await ambassadorLinks(jan.id);
    await leave(links.link, 'name=Ruud+Kok&email=ruud%40example.nl&consent=1');
    const other = await buildOrganisation(t, 'Garage Anders');
    expect((await other.request({ url: '/api/v1/ambassadors' })).json()).toEqual({ items: [] });
    expect((await other.request({ url: '/api/v1/referrals' })).json()).toEqual({ items: [] });
    expect((await other.request({ url: `/api/v1/ambassadors/${links.id}` })).statusCode).toBe(404);
    const code = (await rewardsOf(links.id))[0]?.code;
    const redeem = await other.request({
      method: 'POST',
      url: '/api/v1/vouchers/redeem',
      payload: { code },
    });
    expect(redeem.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/f/AAAAAAAAAAAAAAAAAAAAAA' })).statusCode).toBe(404);
  });

  it('checks a voucher for the counter (worth, holder), redeems it once, and refuses the rest', async () => {
    const jan = await promoter('jan7@devries.nl', true);
    const links = await ambassadorLinks(jan.id);
    await leave(links.link, 'name=Sanne+Smit&email=sanne%40example.nl&consent=1');
    const welcome = (await rewardsOf(links.id)).find((r) => r.recipient === 'friend');
    expect(welcome?.status).toBe('issued');

    // Only staff who may redeem may check: a viewer and an account manager may not.
    for (const role of ['viewer', 'account_manager'] as const) {
      const member = await buildMember(t, orgId, role);
      const res = await member.request({
        method: 'POST',
        url: '/api/v1/vouchers/check',
        payload: { code: welcome?.code },
      });
      expect(res.statusCode, role).toBe(403);
    }

    const check = await owner.request({
      method: 'POST',
      url: '/api/v1/vouchers/check',
      payload: { code: welcome?.code.toLowerCase().replaceAll('-', ' ') },
    });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json()).toMatchObject({
      description: '10 % korting op de eerste beurt',
      holderName: 'Sanne Smit',
      recipient: 'friend',
      status: 'issued',
      redeemable: true,
      refusal: null,
    });
    const first = await owner.request({
      method: 'POST',
      url: '/api/v1/vouchers/redeem',
      payload: { code: welcome?.code },
    });
    expect(first.statusCode, first.body).toBe(200);
    const again = await owner.request({
      method: 'POST',
      url: '/api/v1/vouchers/check',
      payload: { code: welcome?.code },
    });
    expect(again.json()).toMatchObject({
      status: 'redeemed',
      redeemable: false,
      refusal: 'already_redeemed',
    });
    const typo = await owner.request({
      method: 'POST',
      url: '/api/v1/vouchers/check',
      payload: { code: `${welcome?.code.slice(0, -1)}${welcome?.code.endsWith('0') ? '1' : '0'}` },
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json<{ error: { fields: { problem: string }[] } }>().error.fields[0]?.problem).toBe(
      'code_check',
    );
  });

  it('locks the counter of one organisation and address after repeated wrong codes', async () => {
    const other = await buildOrganisation(t, 'Garage Gokker');
    const guess = () =>
      other.request({
        method: 'POST',
        url: '/api/v1/vouchers/check',
        payload: { code: makeCode('voucher', randomBytes(randomBytesFor('voucher'))) },
      });
    for (let i = 0; i < ADDRESS_MISS_LIMIT; i++) expect((await guess()).statusCode).toBe(404);
    expect((await guess()).statusCode).toBe(429);
    const redeem = await other.request({
      method: 'POST',
      url: '/api/v1/vouchers/redeem',
      payload: { code: makeCode('voucher', randomBytes(randomBytesFor('voucher'))) },
    });
    expect(redeem.statusCode).toBe(429);
    // The lock is this organisation's: the garage next door, from the same address, is not locked.
    const neighbour = await owner.request({
      method: 'POST',
      url: '/api/v1/vouchers/check',
      payload: { code: makeCode('voucher', randomBytes(randomBytesFor('voucher'))) },
    });
    expect(neighbour.statusCode).toBe(404);
  });

  it('tells a 9 or 10 what being an ambassador means, and leads one who opted in to their page', async () => {
    const answer = async (email: string, score: number, optIn: boolean) => {
      const c = await buildContact(t.db.kysely, orgId, { email, name: 'Anna Vos' });
      const inv = await buildInvitation(
        t.db.kysely,
        { organisationId: orgId, surveyId, contactId: c.id },
        { planned_at: t.clock.now },
      );
      await t.app.inject({
        method: 'POST',
        url: `/r/${inv.token}`,
        headers: FORM,
        payload: `score=${score}${optIn ? '&ambassadorOptIn=1' : ''}`,
      });
      return (await t.app.inject({ url: `/r/${inv.token}/thanks` })).body;
    };
    const joined = await answer('anna1@example.nl', 10, true);
    expect(joined).toContain('Ambassadeur van Garage De Vries');
    expect(joined).toContain('wij mailen uw vrienden nooit');
    expect(joined).toContain('Voor elke nieuwe klant die u aanbrengt: een gratis APK-keuring.');
    expect(joined).toMatch(
      /<a class="button" href="\/a\/[A-Za-z0-9_-]{22}">Naar uw persoonlijke pagina<\/a>/,
    );
    const notJoined = await answer('anna2@example.nl', 9, false);
    expect(notJoined).toContain('Ambassadeur van Garage De Vries');
    expect(notJoined).toContain('Wilt u ambassadeur worden?');
    expect(notJoined).not.toContain('/a/');
    const passive = await answer('anna3@example.nl', 7, false);
    expect(passive).not.toContain('Ambassadeur van');
  });

  it('counts wrong ambassador codes at the counter towards the lockout', async () => {
    const other = await buildOrganisation(t, 'Garage Raadsel');
    const lead = (code: string) =>
      other.request({
        method: 'POST',
        url: '/api/v1/referrals',
        payload: { ambassadorCode: code, name: 'Gok', consentNote: 'Aan de balie' },
      });
    // A typo (wrong check character) is not a guess and does not count.
    const good = makeCode('ambassador', randomBytes(randomBytesFor('ambassador')));
    const typo = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
    for (let i = 0; i < ADDRESS_MISS_LIMIT + 2; i++)
      expect((await lead(typo)).statusCode).toBe(400);
    for (let i = 0; i < ADDRESS_MISS_LIMIT; i++) {
      const res = await lead(makeCode('ambassador', randomBytes(randomBytesFor('ambassador'))));
      expect(res.statusCode).toBe(400);
    }
    expect((await lead(good)).statusCode).toBe(429);
  });
});
