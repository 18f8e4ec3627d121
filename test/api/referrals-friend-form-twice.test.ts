import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  PROGRAMME as GARAGE_PROGRAMME,
  enrolPromoter,
  setUpProgramme,
} from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { asPersonSends } from '../support/friend-form.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Double-sided: the friend gets a welcome discount (a voucher) as soon as they leave details. */
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

const KARIN = { name: 'Karin Bos', email: 'karin@example.nl', phone: '' };

/**
 * The friend's page has no script: a friend on a slow phone network taps "Versturen" twice, or
 * the browser re-sends the POST after a reload. Both POSTs carry the same signed form token and
 * the same details: one lead, one welcome voucher, one welcome email, and the ambassador's page
 * counts one friend. Another friend on the same link, or the same friend on another ambassador's
 * link, is still a lead of its own.
 */
describeEachDialect('the friend form sent twice', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  async function garage(name: string) {
    const owner = await buildOrganisation(t, name);
    await setUpProgramme(owner, PROGRAMME);
    const surveyId = (await buildSurvey(t.db.kysely, owner.organisationId)).id;
    const organisationId = owner.organisationId;
    const ambassador = async (email: string) => {
      const a = await enrolPromoter(t, { organisationId, surveyId }, { email });
      const send = (friend: typeof KARIN = KARIN) =>
        t.app.inject({
          method: 'POST',
          url: a.link,
          headers: FORM,
          payload: asPersonSends(
            t,
            organisationId,
            a.link,
            new URLSearchParams({ ...friend, consent: '1' }).toString(),
          ),
        });
      const outcome = async () => {
        const referrals = await t.db.kysely
          .selectFrom('referrals')
          .select(['verdict'])
          .where('ambassador_id', '=', a.ambassadorId)
          .orderBy('created_at')
          .execute();
        const welcome = await t.db.kysely
          .selectFrom('rewards')
          .select('status')
          .where('ambassador_id', '=', a.ambassadorId)
          .where('recipient', '=', 'friend')
          .execute();
        const share = await t.app.inject({ url: a.share });
        return {
          verdicts: referrals.map((r) => r.verdict),
          welcomeVouchers: welcome.length,
          sharePageSays: /(\d+) aangemeld/.exec(share.body)?.[1],
        };
      };
      return { send, outcome };
    };
    const welcomeEmails = async () =>
      (
        await t.db.kysely
          .selectFrom('jobs')
          .select('id')
          .where('organisation_id', '=', organisationId)
          .where('type', '=', 'ambassadors.friend-welcome')
          .execute()
      ).length;
    return { ambassador, welcomeEmails };
  }

  it('one after the other (a double tap): one lead, one voucher, one welcome email', async () => {
    const g = await garage('Garage Een');
    const a = await g.ambassador('jan@een.nl');
    expect((await a.send()).statusCode).toBe(303);
    t.clock.now += 2_000;
    const again = await a.send();
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toMatch(/\/thanks\?lang=nl$/);
    expect(await a.outcome()).toEqual({
      verdicts: ['eligible'],
      welcomeVouchers: 1,
      sharePageSays: '1',
    });
    expect(await g.welcomeEmails()).toBe(1);
  });

  it('at the same moment: one lead, one voucher, one welcome email', async () => {
    const g = await garage('Garage Twee');
    const a = await g.ambassador('jan@twee.nl');
    const [x, y] = await Promise.all([a.send(), a.send()]);
    expect([x.statusCode, y.statusCode]).toEqual([303, 303]);
    expect(await a.outcome()).toEqual({
      verdicts: ['eligible'],
      welcomeVouchers: 1,
      sharePageSays: '1',
    });
    expect(await g.welcomeEmails()).toBe(1);
  });

  it('still records another friend on the same link', async () => {
    const g = await garage('Garage Drie');
    const a = await g.ambassador('jan@drie.nl');
    expect((await a.send()).statusCode).toBe(303);
    t.clock.now += 60_000;
    const other = { name: 'Ria Bos', email: 'ria@example.nl', phone: '' };
    expect((await a.send(other)).statusCode).toBe(303);
    expect(await a.outcome()).toEqual({
      verdicts: ['eligible', 'eligible'],
      welcomeVouchers: 2,
      sharePageSays: '2',
    });
  });

  it('still flags the friend another ambassador referred first', async () => {
    const g = await garage('Garage Vier');
    const first = await g.ambassador('jan@vier.nl');
    const second = await g.ambassador('piet@vier.nl');
    expect((await first.send()).statusCode).toBe(303);
    t.clock.now += 60_000;
    expect((await second.send()).statusCode).toBe(303);
    expect((await second.outcome()).verdicts).toEqual(['ineligible']);
    expect(await g.welcomeEmails()).toBe(1);
  });
});
