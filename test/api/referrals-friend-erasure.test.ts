import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { enrolPromoter, referFriend, setUpProgramme, PROGRAMME } from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

/**
 * A friend who became a customer and asks to be erased (AVG art. 17) before a paid visit
 * converted their lead: the lead is theirs (same mailbox), so their export lists it and the
 * erasure clears their details from it. Another person's lead that only shares their phone
 * number (a household, a switchboard) stays.
 */
describeEachDialect('erasing a friend who has not converted yet', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  let surveyId: string;
  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t);
    orgId = owner.organisationId;
    surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
    await setUpProgramme(owner, PROGRAMME);
  });
  afterAll(async () => t.close());

  it('exports and clears their lead, and leaves a housemate’s', async () => {
    const amb = await enrolPromoter(t, { organisationId: orgId, surveyId }, { email: 'a@x.nl' });
    const friend = {
      name: 'Fenna Vergeet',
      email: 'Fenna.Vergeet@example.nl',
      phone: '020 123 4567',
    };
    const hers = await referFriend(t, amb, friend);
    // A housemate referred too: no address, the same landline.
    const housemate = await referFriend(t, amb, { name: 'Joop', email: '', phone: '0201234567' });
    // A third lead, on another ambassador's link, with her address in another case: still her
    // mailbox.
    const other = await enrolPromoter(t, { organisationId: orgId, surveyId }, { email: 'b@x.nl' });
    const again = await referFriend(t, other, { ...friend, email: 'fenna.vergeet@EXAMPLE.nl' });
    // A fourth with her address that converted into someone else (a shared mailbox): theirs.
    const elsewhere = await referFriend(t, other, { ...friend, name: 'Frits Vergeet' });
    const someoneElse = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Frits Vergeet', email: 'frits@example.nl' },
    });
    expect(someoneElse.statusCode, someoneElse.body).toBe(201);
    await t.db.kysely
      .updateTable('referrals')
      .set({ contact_id: someoneElse.json<{ id: string }>().id, status: 'converted' })
      .where('id', '=', elsewhere)
      .execute();
    t.clock.now += 60_000;
    const customer = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: friend.name, email: 'fenna.vergeet@example.nl', phone: '0201234567' },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    const contactId = customer.json<{ id: string }>().id;

    const exported = await owner.request({ url: `/api/v1/contacts/${contactId}/export` });
    expect(exported.statusCode, exported.body).toBe(200);
    const { referrals } = exported.json<{ referrals: { name: string | null }[] }>();
    expect(referrals.map((r) => r.name)).toEqual(['Fenna Vergeet', 'Fenna Vergeet']);

    const erased = await owner.request({
      method: 'POST',
      url: `/api/v1/contacts/${contactId}/erase`,
    });
    expect(erased.statusCode, erased.body).toBe(204);
    await drain();
    const leads = await t.db.kysely
      .selectFrom('referrals')
      .select(['id', 'friend_name', 'friend_email', 'friend_phone'])
      .where('id', 'in', [hers, again, housemate, elsewhere])
      .execute();
    const byId = new Map(leads.map((l) => [l.id, l]));
    for (const id of [hers, again]) {
      expect(byId.get(id)).toMatchObject({
        friend_name: null,
        friend_email: null,
        friend_phone: null,
      });
    }
    expect(byId.get(housemate)).toMatchObject({ friend_name: 'Joop', friend_phone: '0201234567' });
    expect(byId.get(elsewhere)).toMatchObject({ friend_name: 'Frits Vergeet' });
  });
});
