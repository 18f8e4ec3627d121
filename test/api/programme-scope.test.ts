import { afterAll, beforeAll, expect, it } from 'vitest';
import { enrolPromoter, referFriend, setUpProgramme } from '../support/ambassadors.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildEmployee, buildSurvey } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

interface Dashboard {
  ambassadors: number;
  leads: number;
  conversions: number;
  revenueCents: number;
  rewardCostCents: number;
  perOwner: { ownerEmployeeId: string | null; ownerName: string | null; leads: number }[];
  perAmbassador: { ambassadorId: string; name: string | null; leads: number }[];
  pool: { ambassadors: number }[];
}

/**
 * Who sees which part of the referral programme (issue 12), on both databases — the record scope
 * the rest of Loyaal uses (`recordScope`): an account manager sees the ambassadors among their own
 * customers, those ambassadors' referrals and rewards, and only their own row per account manager;
 * owner, admin and manager see everything. A colleague's figures are nothing to them, as a
 * colleague's customers are: an owner filter narrows the scope, never widens it.
 */
describeEachDialect('the programme by role', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  let sanne: { id: string };
  let kees: { id: string };
  let sanneMember: Client;
  const ambassadorOf: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(dialect, { SESSION_DAYS: '90' });
    owner = await buildOrganisation(t, 'Garage Rollen');
    orgId = owner.organisationId;
    await setUpProgramme(owner);
    const surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
    sanne = await buildEmployee(t.db.kysely, orgId, { name: 'Sanne de Boer' });
    kees = await buildEmployee(t.db.kysely, orgId, { name: 'Kees Visser' });
    // Jan is Sanne's customer, Els is Kees's; each brings a friend, and both friends convert.
    const plan = [
      ['jan', sanne.id, 'Karin Bakker', 8900],
      ['els', kees.id, 'Ruud Smit', 12000],
    ] as const;
    for (const [who, ownerId, friend, amountCents] of plan) {
      const a = await enrolPromoter(
        t,
        { organisationId: orgId, surveyId },
        { email: `${who}-${dialect}@rollen.nl`, name: who, owner_employee_id: ownerId },
      );
      ambassadorOf[who] = a.ambassadorId;
      const lead = await referFriend(t, a, {
        name: friend,
        email: `${friend.split(' ')[0]?.toLowerCase()}-${dialect}@example.nl`,
      });
      const conv = await owner.request({
        method: 'POST',
        url: `/api/v1/referrals/${lead}/conversion`,
        payload: { amountCents },
      });
      expect(conv.statusCode, conv.body).toBe(200);
    }
    sanneMember = await buildMember(t, orgId, 'account_manager', sanne.id);
  });
  afterAll(async () => t.close());

  const dashboard = async (c: Client, query = '') => {
    const res = await c.request({ url: `/api/v1/referral-programme/dashboard${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Dashboard>();
  };
  const items = async <T>(c: Client, url: string) => {
    const res = await c.request({ url });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: T[] }>().items;
  };

  it('shows the owner and a manager every ambassador, referral and reward', async () => {
    const manager = await buildMember(t, orgId, 'manager', null);
    for (const c of [owner, manager]) {
      const d = await dashboard(c);
      expect([d.ambassadors, d.leads, d.conversions]).toEqual([2, 2, 2]);
      expect(d.perOwner.map((o) => o.ownerName).sort()).toEqual(['Kees Visser', 'Sanne de Boer']);
      expect(d.perAmbassador.map((a) => a.name).sort()).toEqual(['els', 'jan']);
      expect(d.rewardCostCents).toBe(7000);
      expect(d.pool.at(-1)?.ambassadors).toBe(2);
      expect(await items(c, '/api/v1/rewards')).toHaveLength(2);
      expect(await items(c, '/api/v1/referrals')).toHaveLength(2);
      expect(await items(c, '/api/v1/ambassador-tasks')).toHaveLength(4);
    }
  });

  it('limits an account manager to the ambassadors among their own customers', async () => {
    const d = await dashboard(sanneMember);
    expect([d.ambassadors, d.leads, d.conversions]).toEqual([1, 1, 1]);
    expect(d.perOwner.map((o) => [o.ownerEmployeeId, o.ownerName, o.leads])).toEqual([
      [sanne.id, 'Sanne de Boer', 1],
    ]);
    expect(d.perAmbassador.map((a) => a.ambassadorId)).toEqual([ambassadorOf.jan]);
    expect(d.rewardCostCents).toBe(3500);
    expect(d.pool.at(-1)?.ambassadors).toBe(1);

    const rewards = await sanneMember.request({ url: '/api/v1/rewards' });
    const ledger = rewards.json<{
      items: { ambassadorId: string }[];
      totals: { count: number; costCents: number }[];
    }>();
    expect(ledger.items.map((r) => r.ambassadorId)).toEqual([ambassadorOf.jan]);
    expect(ledger.totals.reduce((n, x) => n + x.count, 0)).toBe(1);
    const referrals = await items<{ ambassadorId: string }>(sanneMember, '/api/v1/referrals');
    expect(referrals.map((r) => r.ambassadorId)).toEqual([ambassadorOf.jan]);
    const register = await items<{ id: string }>(sanneMember, '/api/v1/ambassadors');
    expect(register.map((a) => a.id)).toEqual([ambassadorOf.jan]);
    const tasks = await items<{ ambassadorId: string }>(sanneMember, '/api/v1/ambassador-tasks');
    expect(new Set(tasks.map((x) => x.ambassadorId))).toEqual(new Set([ambassadorOf.jan]));
  });

  it('gives an account manager nothing of a colleague’s, however they ask', async () => {
    const d = await dashboard(sanneMember, `?ownerEmployeeId=${kees.id}`);
    expect([d.ambassadors, d.leads, d.conversions, d.revenueCents]).toEqual([0, 0, 0, 0]);
    expect([d.perOwner, d.perAmbassador]).toEqual([[], []]);
    const els = ambassadorOf.els ?? '';
    expect((await sanneMember.request({ url: `/api/v1/ambassadors/${els}` })).statusCode).toBe(404);
    expect(await items(sanneMember, `/api/v1/referrals?ambassadorId=${els}`)).toEqual([]);
    // Their own, asked for by name, is what they see anyway.
    const own = await dashboard(sanneMember, `?ownerEmployeeId=${sanne.id}`);
    expect([own.ambassadors, own.leads]).toEqual([1, 1]);
    // An account manager linked to no employee owns no customer, so sees nothing at all.
    const nobody = await buildMember(t, orgId, 'account_manager', null);
    const none = await dashboard(nobody);
    expect([none.ambassadors, none.leads, none.perOwner, none.perAmbassador]).toEqual([
      0,
      0,
      [],
      [],
    ]);
    expect(await items(nobody, '/api/v1/rewards')).toEqual([]);
  });

  it('lets the owner look at one account manager’s customers', async () => {
    const d = await dashboard(owner, `?ownerEmployeeId=${kees.id}`);
    expect([d.ambassadors, d.leads]).toEqual([1, 1]);
    expect(d.perOwner.map((o) => o.ownerName)).toEqual(['Kees Visser']);
    expect(d.perAmbassador.map((a) => a.ambassadorId)).toEqual([ambassadorOf.els]);
  });
});
