import { expect } from 'vitest';
import { enrolPromoter, referFriend, setUpProgramme } from './ambassadors.ts';
import { buildContact, buildSurvey } from './factories.ts';
import type { Client, TestApp } from './harness.ts';

/**
 * Earned growth's worked example (issues 11 and 12), as a workshop system would send it: visits
 * posted to the API. Jan is an ambassador; Karin, whom he referred on 10 September, comes first on
 * 20 September (€ 200) and again on 5 October (€ 150); Piet is a regular (August € 1,000,
 * September € 500, October € 700); Ruud was referred too but was a customer before (€ 40 in July,
 * € 80 on 21 September); another garage's referred friend with the same address spends € 999 in
 * September. Leaves the clock at 1 November 2026.
 *
 * By hand, September: revenue 500 + 200 + 80 = € 780, returning (first visit before September)
 * Piet 500 + Ruud 80 = € 580, referred new Karin € 200; August's € 1,000 before it:
 * NRR 0.58, ENC 0.20, EGR −0.22. October: 700 + 150 = € 850, all returning (Karin too now),
 * nothing referred new: NRR 850/780, ENC 0, EGR 850/780 − 1.
 */
export async function buildEarnedGrowthStory(
  t: TestApp,
  owner: Client,
  elders: Client,
): Promise<{ janId: string }> {
  async function visits(client: Client, list: Record<string, unknown>[]) {
    const res = await client.request({
      method: 'POST',
      url: '/api/v1/visits/batch',
      payload: { visits: list },
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  /** A programme, an ambassador and a friend who left their details (now). */
  async function garage(client: Client, friendEmail: string) {
    await setUpProgramme(client);
    const org = client.organisationId;
    const surveyId = (await buildSurvey(t.db.kysely, org)).id;
    const jan = await enrolPromoter(
      t,
      { organisationId: org, surveyId },
      { email: `jan-${org}@devries.nl` },
    );
    await referFriend(t, jan, { name: 'Karin Bakker', email: friendEmail });
    return jan;
  }

  const org = owner.organisationId;
  t.clock.now = Date.UTC(2026, 8, 10, 9); // 10 September 2026
  const jan = await garage(owner, 'karin@example.nl');
  await referFriend(t, jan, { name: 'Ruud Smit', email: 'ruud@example.nl' });
  const elsewhere = await garage(elders, 'karin@example.nl');
  expect(elsewhere.ambassadorId).not.toBe(jan.ambassadorId);

  t.clock.now = Date.UTC(2026, 10, 1, 9); // 1 November 2026
  const customer = (email: string, name: string, created: number) =>
    buildContact(t.db.kysely, org, { email, name, created_at: created });
  await customer('piet@example.nl', 'Piet Regulier', Date.UTC(2025, 0, 1));
  await customer('ruud@example.nl', 'Ruud Smit', Date.UTC(2026, 5, 1));
  await customer('karin@example.nl', 'Karin Bakker', Date.UTC(2026, 8, 15));
  await buildContact(t.db.kysely, elders.organisationId, {
    email: 'karin@example.nl',
    name: 'Karin Bakker',
    created_at: Date.UTC(2026, 8, 15),
  });
  const v = (email: string, visitedAt: string, amount: number) => ({
    customer: { email },
    visitedAt,
    amount,
  });
  await visits(owner, [
    v('piet@example.nl', '2026-08-15', 1000),
    v('piet@example.nl', '2026-09-15', 500),
    v('piet@example.nl', '2026-10-15', 700),
    v('ruud@example.nl', '2026-07-01', 40),
    v('ruud@example.nl', '2026-09-21', 80),
    v('karin@example.nl', '2026-09-20', 200),
    v('karin@example.nl', '2026-10-05', 150),
  ]);
  await visits(elders, [v('karin@example.nl', '2026-09-20', 999)]);
  return { janId: jan.ambassadorId };
}
