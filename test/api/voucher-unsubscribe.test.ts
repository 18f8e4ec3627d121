import { afterAll, beforeAll, expect, it } from 'vitest';
import { enrolPromoter, referFriend, setUpProgramme, PROGRAMME } from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

/** The garage's programme with a welcome offer for the friend: both sides hold a voucher. */
const DOUBLE_SIDED = {
  enabled: true,
  settings: {
    ...PROGRAMME.settings,
    friendOffer: '10 % korting',
    friendReward: {
      kind: 'discount',
      description: '10 % korting',
      costCents: 2000,
      validMonths: 3,
    },
  },
};

const FRIEND_QUESTION = 'Wilt u dat Garage De Vries geen contact meer met u opneemt';
const FRIEND_DONE = 'Garage De Vries neemt over deze aanbeveling geen contact meer met u op.';
const PROGRAMME_QUESTION =
  'Wilt u geen e-mails meer van Garage De Vries over het ambassadeursprogramma?';
const PROGRAMME_DONE =
  'U krijgt geen e-mails meer van Garage De Vries over het ambassadeursprogramma.';

/**
 * `/v/<token>/unsubscribe` is the "no more contact" link of the friend's welcome mail. On a
 * voucher of the ambassador's own it must not answer "Verwerkt" and do nothing: it unsubscribes
 * the ambassador from the programme's emails (the only mail the programme sends them), and says so.
 */
describeEachDialect('the unsubscribe link of a voucher', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  let surveyId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage De Vries');
    orgId = owner.organisationId;
    surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
    await setUpProgramme(owner, DOUBLE_SIDED);
  });
  afterAll(async () => t.close());

  /** An ambassador whose friend became a customer: a voucher for each of them. */
  async function bothVouchers(email: string) {
    const amb = await enrolPromoter(t, { organisationId: orgId, surveyId }, { email });
    const referralId = await referFriend(t, amb, { name: 'Karin Bakker', email: `k.${email}` });
    const converted = await owner.request({
      method: 'POST',
      url: `/api/v1/referrals/${referralId}/conversion`,
      payload: { amountCents: 5000 },
    });
    expect(converted.statusCode, converted.body).toBe(200);
    const rewards = await t.db.kysely
      .selectFrom('rewards')
      .select(['recipient', 'token'])
      .where('organisation_id', '=', orgId)
      .where('referral_id', '=', referralId)
      .execute();
    const tokenOf = (recipient: string) => {
      const token = rewards.find((r) => r.recipient === recipient)?.token;
      if (!token) throw new Error(`no ${recipient} voucher`);
      return token;
    };
    return { amb, referralId, ambassador: tokenOf('ambassador'), friend: tokenOf('friend') };
  }

  const ambassadorRow = (id: string) =>
    t.db.kysely
      .selectFrom('ambassadors')
      .select(['unsubscribed_at', 'status'])
      .where('organisation_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const referralRow = (id: string) =>
    t.db.kysely
      .selectFrom('referrals')
      .select(['friend_email', 'status'])
      .where('organisation_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('on the ambassador’s own voucher: asks about the programme’s emails, and stops them', async () => {
    const v = await bothVouchers('jan@eigen.nl');
    const asked = await t.app.inject({ url: `/v/${v.ambassador}/unsubscribe` });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain(PROGRAMME_QUESTION);
    expect(asked.body).toContain(`action="/v/${v.ambassador}/unsubscribe"`);
    expect(asked.body).not.toContain(FRIEND_QUESTION);
    // A GET changes nothing (link scanners fetch it).
    expect((await ambassadorRow(v.amb.ambassadorId)).unsubscribed_at).toBeNull();

    const done = await t.app.inject({ method: 'POST', url: `/v/${v.ambassador}/unsubscribe` });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('U bent afgemeld');
    expect(done.body).toContain(PROGRAMME_DONE);
    expect(done.body).not.toContain('Verwerkt');
    expect((await ambassadorRow(v.amb.ambassadorId)).unsubscribed_at).toBe(t.clock.now);
    // The staff's register shows it, the ambassador stays an ambassador, the friend is untouched.
    const detail = await owner.request({ url: `/api/v1/ambassadors/${v.amb.ambassadorId}` });
    expect(
      detail.json<{ register: { unsubscribedAt: string | null } }>().register.unsubscribedAt,
    ).toBe(new Date(t.clock.now).toISOString());
    expect((await ambassadorRow(v.amb.ambassadorId)).status).toBe('active');
    expect((await referralRow(v.referralId)).friend_email).toBe('k.jan@eigen.nl');

    // Opened again: it says what is so, and offers nothing to press.
    const again = await t.app.inject({ url: `/v/${v.ambassador}/unsubscribe` });
    expect(again.body).toContain(PROGRAMME_DONE);
    expect(again.body).not.toContain('<form');
    const share = await t.app.inject({ url: `${v.amb.share}/unsubscribe` });
    expect(share.body).toContain(PROGRAMME_DONE);
  });

  it('on the ambassador’s voucher, unsubscribed already on their own page: says so', async () => {
    const v = await bothVouchers('piet@eigen.nl');
    await t.app.inject({ method: 'POST', url: `${v.amb.share}/unsubscribe` });
    const page = await t.app.inject({ url: `/v/${v.ambassador}/unsubscribe` });
    expect(page.body).toContain(PROGRAMME_DONE);
    expect(page.body).not.toContain('<form');
  });

  it('on the friend’s voucher: withdraws the friend’s details, and leaves the ambassador be', async () => {
    const v = await bothVouchers('kees@eigen.nl');
    const asked = await t.app.inject({ url: `/v/${v.friend}/unsubscribe` });
    expect(asked.body).toContain(FRIEND_QUESTION);
    const done = await t.app.inject({ method: 'POST', url: `/v/${v.friend}/unsubscribe` });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain(FRIEND_DONE);
    expect((await referralRow(v.referralId)).friend_email).toBeNull();
    expect((await ambassadorRow(v.amb.ambassadorId)).unsubscribed_at).toBeNull();
  });
});
