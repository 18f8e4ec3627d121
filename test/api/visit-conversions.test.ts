import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { enrolPromoter, referFriend, setUpProgramme } from '../support/ambassadors.ts';
import { buildContact, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const DAY = 86_400_000;

/**
 * Referrals follow the visits module's events (issue 12), on both databases: a referred friend's
 * first paid visit — posted to the visits API like any workshop system does — converts the lead
 * and holds the ambassador's reward; a cancellation of that visit or a refund within the hold
 * period voids it; after the hold an issued voucher stays. Each test makes its own ambassador and
 * friend, so the order does not matter.
 */
describeEachDialect('referrals converted by visits', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let other: Client;
  let orgId: string;
  let surveyId: string;
  let n = 0;
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    t = await startTestApp(dialect, { SESSION_DAYS: '90' });
    owner = await buildOrganisation(t);
    other = await buildOrganisation(t, 'Garage Elders');
    orgId = owner.organisationId;
    surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
    await setUpProgramme(owner);
  });
  afterAll(async () => t.close());

  /** A promoter who opted in, and a friend who left their details on the promoter's link. */
  async function referral(): Promise<{ ambassadorId: string; referralId: string; email: string }> {
    n++;
    const jan = await enrolPromoter(
      t,
      { organisationId: orgId, surveyId },
      { email: `jan${n}-${dialect}@devries.nl` },
    );
    const email = `karin${n}-${dialect}@example.nl`;
    const referralId = await referFriend(t, jan, { name: 'Karin Bakker', email });
    return { ambassadorId: jan.ambassadorId, referralId, email };
  }

  const referralRow = (id: string) =>
    t.db.kysely
      .selectFrom('referrals')
      .select([
        'status',
        'contact_id',
        'conversion_ref',
        'conversion_amount_cents',
        'conversion_cancelled_at',
      ])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  const rewardStatuses = async (ambassadorId: string) =>
    (
      await t.db.kysely
        .selectFrom('rewards')
        .select('status')
        .where('organisation_id', '=', orgId)
        .where('ambassador_id', '=', ambassadorId)
        .where('recipient', '=', 'ambassador')
        .execute()
    ).map((r) => r.status);

  const today = () => new Date(t.clock.now).toISOString().slice(0, 10);

  async function visit(client: Client, body: Record<string, unknown>, batch = false) {
    const res = await client.request({
      method: 'POST',
      url: batch ? '/api/v1/visits/batch' : '/api/v1/visits',
      payload: body,
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res;
  }

  it('converts the lead on the friend’s first paid visit in a batch, and holds the reward', async () => {
    const { ambassadorId, referralId, email } = await referral();
    // The workshop system registers Karin as a new customer (now, after the lead: a customer
    // known before it would be an existing one), then sends her visits.
    const karin = await buildContact(t.db.kysely, orgId, {
      email,
      name: 'Karin Bakker',
      created_at: t.clock.now,
    });
    const someone = await buildContact(t.db.kysely, orgId, {
      email: `iemand${n}-${dialect}@example.nl`,
    });
    // A booking she did not keep, and a free check, are not paid visits: still a lead.
    await visit(
      owner,
      {
        visits: [
          { customer: { email }, visitedAt: today(), amount: 0, status: 'cancelled' },
          { customer: { email }, visitedAt: today(), amount: 0, externalId: `GRATIS-${n}` },
          { customer: { email: someone.email }, visitedAt: today(), amount: 120 },
        ],
      },
      true,
    );
    expect((await referralRow(referralId)).status).toBe('lead');
    expect(await rewardStatuses(ambassadorId)).toEqual([]);

    await visit(owner, {
      customer: { email: email.toUpperCase() },
      visitedAt: today(),
      amount: 89.5,
      externalId: `WO-${n}`,
    });
    expect(await referralRow(referralId)).toMatchObject({
      status: 'converted',
      contact_id: karin.id,
      conversion_ref: `WO-${n}`,
      conversion_amount_cents: 8950,
      conversion_cancelled_at: null,
    });
    expect(await rewardStatuses(ambassadorId)).toEqual(['pending']);

    // Her second paid visit converts nothing again and adds no reward.
    await visit(owner, { customer: { email }, visitedAt: today(), amount: 45 });
    expect(await rewardStatuses(ambassadorId)).toEqual(['pending']);

    // Karin asks to be forgotten: her invoice number goes from the referral, the conversion stays.
    const erased = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${karin.id}/erase`,
    });
    expect(erased.statusCode, erased.body).toBe(204);
    expect(await referralRow(referralId)).toMatchObject({
      status: 'converted',
      conversion_ref: null,
      conversion_amount_cents: 8950,
    });
    expect(await rewardStatuses(ambassadorId)).toEqual(['pending']);
  });

  it('lets no visit from before the lead convert it, and voids the reward when that visit is cancelled', async () => {
    const { ambassadorId, referralId, email } = await referral();
    await buildContact(t.db.kysely, orgId, {
      email,
      name: 'Karin Bakker',
      created_at: t.clock.now,
    });
    const monthAgo = new Date(t.clock.now - 30 * DAY).toISOString().slice(0, 10);
    await visit(owner, { customer: { email }, visitedAt: monthAgo, amount: 60 });
    expect((await referralRow(referralId)).status).toBe('lead');

    await visit(owner, {
      customer: { email },
      visitedAt: today(),
      amount: 75,
      externalId: `WO-C-${n}`,
    });
    expect(await rewardStatuses(ambassadorId)).toEqual(['pending']);
    // The workshop system sends the same job again, now cancelled, a few days later.
    t.clock.now += 3 * DAY;
    await visit(owner, {
      customer: { email },
      visitedAt: today(),
      amount: 0,
      externalId: `WO-C-${n}`,
      status: 'cancelled',
    });
    expect(await rewardStatuses(ambassadorId)).toEqual(['voided']);
    expect((await referralRow(referralId)).conversion_cancelled_at).toBe(t.clock.now);
  });

  it('voids the reward when the converting visit is cancelled, also after the lead’s details were erased', async () => {
    const { ambassadorId, referralId, email } = await referral();
    await buildContact(t.db.kysely, orgId, {
      email,
      name: 'Karin Bakker',
      created_at: t.clock.now,
    });
    await visit(owner, {
      customer: { email },
      visitedAt: today(),
      amount: 75,
      externalId: `WO-E-${n}`,
    });
    expect(await rewardStatuses(ambassadorId)).toEqual(['pending']);
    // The friend's details leave the lead; her visit, and so its number, stay hers.
    const erased = await owner.request({
      method: 'DELETE',
      url: `/api/v1/referrals/${referralId}/personal-data`,
    });
    expect(erased.statusCode, erased.body).toBe(204);
    expect(await referralRow(referralId)).toMatchObject({
      status: 'converted',
      conversion_ref: `WO-E-${n}`,
    });
    await visit(owner, {
      customer: { email },
      visitedAt: today(),
      amount: 0,
      externalId: `WO-E-${n}`,
      status: 'cancelled',
    });
    expect(await rewardStatuses(ambassadorId)).toEqual(['voided']);
  });

  it('voids a held reward on a refund within the hold period, and keeps an issued one', async () => {
    const first = await referral();
    await buildContact(t.db.kysely, orgId, {
      email: first.email,
      name: 'Karin Bakker',
      created_at: t.clock.now,
    });
    await visit(owner, { customer: { email: first.email }, visitedAt: today(), amount: 99 });
    await visit(owner, {
      customer: { email: first.email },
      visitedAt: today(),
      amount: -99,
      status: 'refund',
    });
    expect(await rewardStatuses(first.ambassadorId)).toEqual(['voided']);

    const second = await referral();
    await buildContact(t.db.kysely, orgId, {
      email: second.email,
      name: 'Kees Bakker',
      created_at: t.clock.now,
    });
    await visit(owner, { customer: { email: second.email }, visitedAt: today(), amount: 99 });
    // A visit on a date is stored at noon: past the 14 days whatever the hour is now.
    t.clock.now += 15 * DAY;
    await drain();
    expect(await rewardStatuses(second.ambassadorId)).toEqual(['issued']);
    await visit(owner, {
      customer: { email: second.email },
      visitedAt: today(),
      amount: -99,
      status: 'refund',
    });
    expect(await rewardStatuses(second.ambassadorId)).toEqual(['issued']);
    expect((await referralRow(second.referralId)).conversion_cancelled_at).toBeNull();
  });

  it('never converts a lead of another organisation with the same friend', async () => {
    const { ambassadorId, referralId, email } = await referral();
    await buildContact(t.db.kysely, other.organisationId, {
      email,
      name: 'Karin Bakker',
      created_at: t.clock.now,
    });
    await visit(other, { customer: { email }, visitedAt: today(), amount: 80 });
    expect((await referralRow(referralId)).status).toBe('lead');
    expect(await rewardStatuses(ambassadorId)).toEqual([]);
  });
});
