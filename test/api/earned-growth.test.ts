import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildEarnedGrowthStory } from '../support/earned-growth-story.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

interface GrowthMonth {
  month: string;
  revenue: number;
  returningRevenue: number;
  referredNewRevenue: number;
  referredNewCustomers: number;
  previousRevenue: number;
  returningShareOfPrevious: number | null;
  referredShareOfPrevious: number | null;
  earnedGrowthRate: number | null;
}

/**
 * Earned growth with the referred new customers' revenue (issues 11 and 12), on both databases,
 * over the worked example in `buildEarnedGrowthStory` (numbers worked by hand there): the loyalty
 * report's months, and the programme's dashboard reading the same definition over its own period.
 */
describeEachDialect('earned growth with referred new customers', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let growth: GrowthMonth[];
  let janId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, { SESSION_DAYS: '90' });
    owner = await buildOrganisation(t, 'Garage Groei');
    janId = (await buildEarnedGrowthStory(t, owner, await buildOrganisation(t, 'Garage Elders')))
      .janId;
    const res = await owner.request({ url: '/api/v1/loyalty' });
    expect(res.statusCode, res.body).toBe(200);
    growth = res.json<{ earnedGrowth: GrowthMonth[] }>().earnedGrowth;
  });
  afterAll(async () => t.close());

  const month = (m: string) => {
    const found = growth.find((g) => g.month === m);
    if (!found) throw new Error(`no ${m} in ${growth.map((g) => g.month).join(', ')}`);
    return found;
  };

  it('counts a referred friend’s first month as earned new revenue', () => {
    const september = month('2026-09');
    expect(september).toMatchObject({
      revenue: 780,
      returningRevenue: 580,
      referredNewRevenue: 200,
      referredNewCustomers: 1,
      previousRevenue: 1000,
    });
    expect(september.returningShareOfPrevious).toBeCloseTo(0.58, 10);
    expect(september.referredShareOfPrevious).toBeCloseTo(0.2, 10);
    expect(september.earnedGrowthRate).toBeCloseTo(-0.22, 10);
  });

  it('counts the friend as returning after that, and a friend who was a customer before never as new', () => {
    const october = month('2026-10');
    expect(october).toMatchObject({
      revenue: 850,
      returningRevenue: 850,
      referredNewRevenue: 0,
      referredNewCustomers: 0,
      previousRevenue: 780,
    });
    expect(october.earnedGrowthRate).toBeCloseTo(850 / 780 - 1, 10);
    // Ruud's lead converted on his September visit, but he came in July: never referred new.
    expect(growth.reduce((sum, g) => sum + g.referredNewRevenue, 0)).toBe(200);
    // August: Piet's first visit, after Ruud's € 40 in July — new, but not referred.
    expect(month('2026-08')).toMatchObject({
      revenue: 1000,
      returningRevenue: 0,
      referredNewRevenue: 0,
      previousRevenue: 40,
      earnedGrowthRate: -1,
    });
  });

  it('shows the programme the same referred revenue, over its own period', async () => {
    const res = await owner.request({ url: '/api/v1/referral-programme/dashboard?days=365' });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<{
      revenueCents: number;
      conversions: number;
      perAmbassador: { ambassadorId: string; revenueCents: number }[];
      perOwner: { revenueCents: number }[];
    }>();
    // Karin is new within the last 365 days; her revenue in them is both visits: € 350.
    expect(d.revenueCents).toBe(35_000);
    expect(d.perAmbassador.find((a) => a.ambassadorId === janId)?.revenueCents).toBe(35_000);
    expect(d.perOwner.reduce((sum, o) => sum + o.revenueCents, 0)).toBe(35_000);
    // Over the last 45 days (17 September on) she is new too, with both visits.
    const recent = await owner.request({ url: '/api/v1/referral-programme/dashboard?days=45' });
    expect(recent.json<{ revenueCents: number }>().revenueCents).toBe(35_000);
    // Over the last 30 days (from 2 October) she is no longer new: nothing referred new.
    const month30 = await owner.request({ url: '/api/v1/referral-programme/dashboard?days=30' });
    expect(month30.json<{ revenueCents: number }>().revenueCents).toBe(0);
  });
});
