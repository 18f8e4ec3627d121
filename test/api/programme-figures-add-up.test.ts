import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildAmbassadors,
  enrolPromoter,
  referFriend,
  setUpProgramme,
} from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const DAY = 86_400_000;

interface Row {
  shareVisits: number;
  leads: number;
  conversions: number;
  revenueCents: number;
  rewardCostCents: number;
}

interface Figures extends Row {
  ambassadors: number;
  rates: { visitToLead: number | null };
  perAmbassador: (Row & { ambassadorId: string })[];
  otherAmbassadors: (Row & { ambassadors: number }) | null;
  removedAmbassadors: {
    ambassadors: number;
    leads: number;
    conversions: number;
    revenueCents: number;
    rewardCostCents: number;
  } | null;
}

/**
 * The programme in figures adds up: the sign-ups of an ambassador removed since stay in the total
 * (they happened), and the table carries them on a row of their own, so its column sums to the
 * tile. The friend page's sign-up rate compares like with like: visits have no time of their own
 * (a running count since joining), so the sign-ups it is divided by are those since joining too.
 */
describeEachDialect('the programme’s figures add up', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect, { SESSION_DAYS: '90' });
  });
  afterAll(async () => t.close());

  /** An organisation of its own per test, so the tests hold in any order. */
  const programme = async (name: string) => {
    const owner = await buildOrganisation(t, name);
    const orgId = owner.organisationId;
    const surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
    await setUpProgramme(owner);
    return { owner, ref: { organisationId: orgId, surveyId } };
  };
  const dashboard = async (owner: Client, days = 365) => {
    const res = await owner.request({ url: `/api/v1/referral-programme/dashboard?days=${days}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Figures>();
  };

  it('keeps a removed ambassador’s sign-ups in the total and on a row of their own', async () => {
    t.clock.now = Date.UTC(2026, 2, 1, 10);
    const { owner, ref } = await programme('Garage Som');
    const kept = await enrolPromoter(t, ref, { email: 'k@sum.nl' });
    const gone = await enrolPromoter(t, ref, { email: 'g@sum.nl' });
    await referFriend(t, kept, { name: 'Karin', email: `karin-${dialect}@example.nl` });
    const lead = await referFriend(t, gone, { name: 'Ruud', email: `ruud-${dialect}@example.nl` });
    await referFriend(t, gone, { name: 'Mies', email: `mies-${dialect}@example.nl` });
    const conv = await owner.request({
      method: 'POST',
      url: `/api/v1/referrals/${lead}/conversion`,
      payload: { amountCents: 5000 },
    });
    expect(conv.statusCode, conv.body).toBe(200);
    const removed = await owner.request({
      method: 'POST',
      url: `/api/v1/ambassadors/${gone.ambassadorId}/status`,
      payload: { action: 'remove' },
    });
    expect(removed.statusCode, removed.body).toBe(200);

    const d = await dashboard(owner);
    expect([d.leads, d.conversions]).toEqual([3, 1]);
    expect(d.perAmbassador.map((a) => a.ambassadorId)).toEqual([kept.ambassadorId]);
    expect(d.removedAmbassadors).toMatchObject({ ambassadors: 1, leads: 2, conversions: 1 });
    const rows = [...d.perAmbassador, ...(d.removedAmbassadors ? [d.removedAmbassadors] : [])];
    expect(rows.reduce((n, r) => n + r.leads, 0)).toBe(d.leads);
    expect(rows.reduce((n, r) => n + r.conversions, 0)).toBe(d.conversions);
  });

  it('counts the reward cost of the period, in the tile as in the table', async () => {
    t.clock.now = Date.UTC(2026, 4, 1, 10);
    const { owner, ref } = await programme('Garage Kosten');
    const convert = async (lead: string) => {
      const res = await owner.request({
        method: 'POST',
        url: `/api/v1/referrals/${lead}/conversion`,
        payload: { amountCents: 5000 },
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    const early = await enrolPromoter(t, ref, { email: 'e@kost.nl' });
    const late = await enrolPromoter(t, ref, { email: 'l@kost.nl' });
    const gone = await enrolPromoter(t, ref, { email: 'g@kost.nl' });
    // Early's friend converts now: a reward (€ 35) two months before the period asked for.
    await convert(await referFriend(t, early, { name: 'Anna', email: `anna-${dialect}@e.nl` }));
    // Late's friend signs up now but converts in the period: its reward is the period's, though
    // the sign-up is not (and Late has no other figure in the period that would give a row).
    const slow = await referFriend(t, late, { name: 'Bram', email: `bram-${dialect}@e.nl` });
    t.clock.now += 60 * DAY;
    await convert(slow);
    // Gone's friend signs up and converts in the period; Gone is removed since.
    await convert(await referFriend(t, gone, { name: 'Cor', email: `cor-${dialect}@e.nl` }));
    const removed = await owner.request({
      method: 'POST',
      url: `/api/v1/ambassadors/${gone.ambassadorId}/status`,
      payload: { action: 'remove' },
    });
    expect(removed.statusCode, removed.body).toBe(200);

    const d = await dashboard(owner, 30);
    expect(d.rewardCostCents).toBe(7000);
    expect(d.perAmbassador.map((a) => [a.ambassadorId, a.rewardCostCents])).toEqual([
      [late.ambassadorId, 3500],
    ]);
    expect(d.removedAmbassadors).toMatchObject({ ambassadors: 1, rewardCostCents: 3500 });
    const rows = [...d.perAmbassador, ...(d.removedAmbassadors ? [d.removedAmbassadors] : [])];
    expect(rows.reduce((n, r) => n + r.rewardCostCents, 0)).toBe(d.rewardCostCents);
    // Over the year, every reward is the period's.
    expect((await dashboard(owner, 365)).rewardCostCents).toBe(10_500);
  });

  it('sums the ambassadors beyond the first hundred on a row, so the table adds up', async () => {
    t.clock.now = Date.UTC(2026, 5, 1, 10);
    const { owner, ref } = await programme('Garage Honderd');
    // 103 ambassadors whose friend pages were visited (1 to 103 times), and one who brings a
    // friend who converts, and one removed since who brought one too.
    const quiet = await buildAmbassadors(
      t.db.kysely,
      ref.organisationId,
      103,
      (i) => i + 1,
      t.clock.now,
    );
    const best = await enrolPromoter(t, ref, { email: 'b@honderd.nl' });
    const gone = await enrolPromoter(t, ref, { email: 'g@honderd.nl' });
    for (const [who, name] of [
      [best, 'Dirk'],
      [gone, 'Evi'],
    ] as const) {
      const lead = await referFriend(t, who, { name, email: `${name}-${dialect}@example.nl` });
      const conv = await owner.request({
        method: 'POST',
        url: `/api/v1/referrals/${lead}/conversion`,
        payload: { amountCents: 5000 },
      });
      expect(conv.statusCode, conv.body).toBe(200);
    }
    const removed = await owner.request({
      method: 'POST',
      url: `/api/v1/ambassadors/${gone.ambassadorId}/status`,
      payload: { action: 'remove' },
    });
    expect(removed.statusCode, removed.body).toBe(200);

    const d = await dashboard(owner, 30);
    expect(d.ambassadors).toBe(104);
    expect(d.perAmbassador).toHaveLength(100);
    expect(d.perAmbassador[0]?.ambassadorId).toBe(best.ambassadorId);
    // 104 with a figure: the four visited least are the ones summed, 1 + 2 + 3 + 4 visits.
    expect(d.otherAmbassadors).toEqual({
      ambassadors: 4,
      shareVisits: 10,
      leads: 0,
      conversions: 0,
      revenueCents: 0,
      rewardCostCents: 0,
    });
    expect(d.perAmbassador.map((a) => a.ambassadorId)).not.toContain(quiet[0]);
    const rows: Row[] = [...d.perAmbassador];
    if (d.otherAmbassadors) rows.push(d.otherAmbassadors);
    if (d.removedAmbassadors) rows.push({ ...d.removedAmbassadors, shareVisits: 0 });
    for (const column of [
      'shareVisits',
      'leads',
      'conversions',
      'revenueCents',
      'rewardCostCents',
    ] as const) {
      expect(
        rows.reduce((n, r) => n + r[column], 0),
        column,
      ).toBe(d[column]);
    }
    expect([d.leads, d.conversions, d.rewardCostCents]).toEqual([2, 2, 7000]);
  });

  it('divides the friend page’s sign-ups since joining by its visits since joining', async () => {
    t.clock.now = Date.UTC(2026, 3, 1, 10);
    const { owner, ref } = await programme('Garage Ratio');
    const amb = await enrolPromoter(t, ref, { email: 'r@rate.nl' });
    for (let i = 0; i < 4; i++) {
      const seen = await t.app.inject({ url: amb.link, headers: { 'user-agent': PHONE } });
      expect(seen.statusCode).toBe(200);
    }
    await referFriend(t, amb, { name: 'Joop', email: `joop-${dialect}@example.nl` });
    // Two months later, a 30-day period holds none of these sign-ups; the visits are still counted.
    t.clock.now += 60 * DAY;
    const d = await dashboard(owner, 30);
    expect(d.leads).toBe(0);
    expect(d.shareVisits).toBe(4);
    expect(d.rates.visitToLead).toBe(1 / 4);
  });
});
