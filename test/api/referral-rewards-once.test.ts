import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordConversion } from '../../src/modules/ambassadors/referrals.service.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import {
  enrolPromoter,
  referFriend,
  setUpProgramme,
  PROGRAMME as GARAGE,
} from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { heldOpen, untilWaitingOnLock } from '../support/lock-waits.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const DAY = 86_400_000;
/**
 * Where every test's clock starts: tests move the app's clock (a hold passing, a day between two
 * leads), and run in a random order, so each starts from here rather than where another left it.
 */
const START = Date.parse('2026-11-02T10:00:00Z');
/** The garage's programme with a welcome offer for the friend and a cake at two friends. */
const PROGRAMME = {
  enabled: true,
  settings: {
    ...GARAGE.settings,
    friendOffer: '10 % korting',
    friendReward: {
      kind: 'discount',
      description: '10 % korting',
      costCents: 2000,
      validMonths: 3,
    },
    milestones: [
      {
        friends: 2,
        reward: { kind: 'gift', description: 'Taart', costCents: 1500, validMonths: null },
      },
    ],
  },
};

/**
 * Each reward once, and only for a friend won: a milestone is not paid again when a cancelled
 * conversion lets the count reach it a second time; a self-referral's conversion brings no
 * milestone closer and is no conversion on the dashboard; erasing a lead's details does not make
 * its verdict lighter; a friend holds one welcome offer however often they withdraw and return;
 * a refund voids a reward still waiting for review, also after the hold.
 */
describeEachDialect('referral rewards are given once, and only for a friend won', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  let surveyId: string;
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    t = await startTestApp(dialect, { SESSION_DAYS: '90' });
    t.clock.now = START;
    owner = await buildOrganisation(t);
    orgId = owner.organisationId;
    surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
    await setUpProgramme(owner, PROGRAMME);
  });
  beforeEach(() => {
    t.clock.now = START;
  });
  afterAll(async () => t.close());

  const rewardsOf = (ambassadorId: string) =>
    t.db.kysely
      .selectFrom('rewards')
      .select(['id', 'recipient', 'reason', 'status'])
      .where('ambassador_id', '=', ambassadorId)
      .execute();
  const convert = async (referralId: string) => {
    const res = await owner.request({
      method: 'POST',
      url: `/api/v1/referrals/${referralId}/conversion`,
      payload: { amountCents: 5000 },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ verdict: string }>();
  };

  it('pays a milestone once, though a cancelled conversion lets the count reach it again', async () => {
    const amb = await enrolPromoter(t, { organisationId: orgId, surveyId }, { email: 'm@once.nl' });
    const friend = (n: number) => referFriend(t, amb, { name: `Vriend ${n}`, email: `v${n}@m.nl` });
    const first = await friend(1);
    await convert(first);
    await convert(await friend(2)); // two friends: the cake
    t.clock.now += 15 * DAY;
    await drain();
    const cancel = await owner.request({
      method: 'POST',
      url: `/api/v1/referrals/${first}/conversion/cancel`,
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    await convert(await friend(3)); // two standing again
    const milestones = (await rewardsOf(amb.ambassadorId)).filter((r) => r.reason === 'milestone');
    expect(milestones.map((m) => m.status)).toEqual(['issued']);
  });

  it('counts no ineligible conversion towards a milestone or on the dashboard', async () => {
    const other = await buildOrganisation(t, 'Garage Telling');
    await setUpProgramme(other, PROGRAMME);
    const sid = (await buildSurvey(t.db.kysely, other.organisationId)).id;
    const amb = await enrolPromoter(
      t,
      { organisationId: other.organisationId, surveyId: sid },
      { email: 'self@telling.nl' },
    );
    const convertAt = async (id: string) =>
      (
        await other.request({
          method: 'POST',
          url: `/api/v1/referrals/${id}/conversion`,
          payload: { amountCents: 5000 },
        })
      ).json<{ verdict: string }>().verdict;
    const self = await referFriend(t, amb, { name: 'Zelf', email: 'self@telling.nl' });
    expect(await convertAt(self)).toBe('ineligible');
    const dashboard = async () =>
      (await other.request({ url: '/api/v1/referral-programme/dashboard' })).json<{
        leads: number;
        conversions: number;
        perAmbassador: { conversions: number }[];
      }>();
    expect(await dashboard()).toMatchObject({ leads: 1, conversions: 0 });
    expect((await dashboard()).perAmbassador[0]?.conversions).toBe(0);
    const real = await referFriend(t, amb, { name: 'Echte Vriend', email: 'echt@telling.nl' });
    expect(await convertAt(real)).toBe('eligible');
    const rewards = await rewardsOf(amb.ambassadorId);
    expect(rewards.filter((r) => r.reason === 'milestone')).toEqual([]);
    expect(rewards.filter((r) => r.reason === 'conversion')).toHaveLength(1);
    expect(await dashboard()).toMatchObject({ leads: 2, conversions: 1 });
  });

  it('keeps a lead’s verdict when its details were erased before the conversion', async () => {
    const amb = await enrolPromoter(t, { organisationId: orgId, surveyId }, { email: 'e@zelf.nl' });
    const id = await referFriend(t, amb, { name: 'Zelf', email: 'e@zelf.nl' });
    const erase = await owner.request({
      method: 'DELETE',
      url: `/api/v1/referrals/${id}/personal-data`,
    });
    expect(erase.statusCode, erase.body).toBe(204);
    expect((await convert(id)).verdict).toBe('ineligible');
    const paid = (await rewardsOf(amb.ambassadorId)).filter((r) => r.recipient === 'ambassador');
    expect(paid).toEqual([]);
  });

  it('gives a friend one welcome offer, however often they withdraw and leave their details', async () => {
    const amb = await enrolPromoter(t, { organisationId: orgId, surveyId }, { email: 'w@keer.nl' });
    for (let i = 0; i < 3; i++) {
      const id = await referFriend(t, amb, { name: 'Gerrit', email: 'gerrit@gratis.nl' });
      const welcome = await t.db.kysely
        .selectFrom('rewards')
        .select('token')
        .where('referral_id', '=', id)
        .where('recipient', '=', 'friend')
        .executeTakeFirst();
      expect(welcome === undefined, `lead ${i + 1}`).toBe(i > 0);
      // "Do not contact me again" on the first offer's page: the lead is lost.
      if (welcome) {
        const stop = await t.app.inject({ method: 'POST', url: `/v/${welcome.token}/unsubscribe` });
        expect(stop.statusCode).toBe(200);
      }
      t.clock.now += DAY;
    }
    const offers = (await rewardsOf(amb.ambassadorId)).filter((r) => r.recipient === 'friend');
    expect(offers.map((o) => o.status)).toEqual(['issued']);
  });

  it('voids a reward still waiting for review when the first visit is refunded after the hold', async () => {
    const amb = await enrolPromoter(t, { organisationId: orgId, surveyId }, { email: 'r@hold.nl' });
    // A disposable address: the conversion's reward waits for a person's review.
    const email = 'vriend@mailinator.com';
    const id = await referFriend(t, amb, { name: 'Disp Osable', email });
    t.clock.now += 60_000;
    const day = () => new Date(t.clock.now).toISOString().slice(0, 10);
    const customer = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Disp Osable', email },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    const visit = (externalId: string, amount: number, status?: string) =>
      owner.request({
        method: 'POST',
        url: '/api/v1/visits',
        payload: { externalId, customer: { email }, visitedAt: day(), amount, status },
      });
    expect((await visit('R-1', 80)).statusCode).toBeLessThan(300);
    const reward = await t.db.kysely
      .selectFrom('rewards')
      .select(['id', 'status'])
      .where('referral_id', '=', id)
      .where('recipient', '=', 'ambassador')
      .executeTakeFirstOrThrow();
    expect(reward.status).toBe('review');
    t.clock.now += 21 * DAY;
    expect((await visit('R-2', -80, 'refund')).statusCode).toBeLessThan(300);
    const approve = await owner.request({
      method: 'POST',
      url: `/api/v1/rewards/${reward.id}/review`,
      payload: { decision: 'approve', reason: 'Gebeld: echte klant' },
    });
    expect(approve.statusCode).toBe(409);
    const after = await t.db.kysely
      .selectFrom('rewards')
      .select('status')
      .where('id', '=', reward.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('voided');
  });
});

const PG_URL = process.env.TEST_DATABASE_URL;

/**
 * One lead converted twice at once (a double click, a retried request): PostgreSQL runs both side
 * by side; the second waits for the first's row and then finds the lead converted (409), so one
 * conversion and one reward count. (SQLite runs one transaction at a time.)
 */
describe.skipIf(!PG_URL)('a lead converted twice at once [postgres]', () => {
  let t: TestApp;
  let owner: Client;

  beforeAll(async () => {
    t = await startTestApp('postgres');
    t.clock.now = START;
    owner = await buildOrganisation(t);
    await setUpProgramme(owner, GARAGE);
  });
  beforeEach(() => {
    t.clock.now = START;
  });
  afterAll(async () => t.close());

  it('counts the conversion and its reward once', async () => {
    const orgId = owner.organisationId;
    const surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
    const amb = await enrolPromoter(t, { organisationId: orgId, surveyId }, { email: 'd@twee.nl' });
    // A phone number only: no address whose uniqueness would stop the second one's customer record.
    const id = await referFriend(t, amb, { name: 'Dubbel', email: '', phone: '06 1234 9876' });
    const first = await heldOpen(t.db.kysely, async (trx) => {
      await recordConversion(
        trx,
        t.deps,
        orgId,
        null,
        id,
        { amountCents: 5000, reference: null, contactId: null },
        t.clock.now,
      );
    });
    try {
      const second = owner.request({
        method: 'POST',
        url: `/api/v1/referrals/${id}/conversion`,
        payload: { amountCents: 5000 },
      });
      await untilWaitingOnLock(t.db.kysely, '%from "referrals"%', 'the second conversion');
      first.commit();
      await first.done;
      const res = await second;
      expect(res.statusCode, res.body).toBe(409);
      expect(
        res.json<{ error: { fields: { problem: string }[] } }>().error.fields[0]?.problem,
      ).toBe('referral_converted');
    } finally {
      first.commit();
    }
    const rewards = await t.db.kysely
      .selectFrom('rewards')
      .select('id')
      .where('referral_id', '=', id)
      .where('reason', '=', 'conversion')
      .execute();
    expect(rewards).toHaveLength(1);
  });

  it('keeps a visit that arrives while the lead is converted by hand, converting nothing twice', async () => {
    const orgId = owner.organisationId;
    const surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
    const amb = await enrolPromoter(t, { organisationId: orgId, surveyId }, { email: 'h@hand.nl' });
    const email = 'vriend@hand.nl';
    const id = await referFriend(t, amb, { name: 'Vriend', email });
    t.clock.now += 60_000;
    const customer = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Vriend', email },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    const manual = await heldOpen(t.db.kysely, async (trx) => {
      const conversion = { amountCents: 5000, reference: null, contactId: null };
      await recordConversion(trx, t.deps, orgId, null, id, conversion, t.clock.now);
    });
    try {
      const visit = owner.request({
        method: 'POST',
        url: '/api/v1/visits',
        payload: {
          externalId: 'W-HAND',
          customer: { email },
          visitedAt: new Date(t.clock.now).toISOString().slice(0, 10),
          amount: 120,
        },
      });
      await untilWaitingOnLock(t.db.kysely, '%from "referrals"%', 'the visit');
      manual.commit();
      await manual.done;
      const res = await visit;
      expect(res.statusCode, res.body).toBe(201);
    } finally {
      manual.commit();
    }
    const visits = await t.db.kysely
      .selectFrom('visits')
      .select('external_id')
      .where('organisation_id', '=', orgId)
      .where('external_id', '=', 'W-HAND')
      .execute();
    expect(visits).toHaveLength(1);
    const rewards = await t.db.kysely
      .selectFrom('rewards')
      .select('id')
      .where('referral_id', '=', id)
      .where('reason', '=', 'conversion')
      .execute();
    expect(rewards).toHaveLength(1);
  });
});
