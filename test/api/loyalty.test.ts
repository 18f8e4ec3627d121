import { afterAll, beforeAll, expect, it } from 'vitest';
import { kaplanMeier, survivalAt } from '../../src/domain/statistics/kaplan-meier.ts';
import { seededRandom } from '../../src/domain/statistics/seeded-random.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildEmployee, buildResponse, buildSurvey } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

const DAY = 86_400_000;

describeEachDialect('the loyalty report', (dialect) => {
  let t: TestApp;
  let owner: Client;
  /** What the test generated, to recompute the promoters' curve independently of SQL. */
  const promoterTimes: { time: number; events: number; censored: number }[] = [];

  beforeAll(async () => {
    t = await startTestApp(dialect, { SESSION_DAYS: '90' });
    owner = await buildOrganisation(t);
    const now = t.clock.now;
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const random = seededRandom(42);
    const visits: Record<string, unknown>[] = [];
    // 120 customers who answered 400–500 days ago; promoters come back more often, and regulars
    // (two visits the year before) more often still.
    for (let i = 0; i < 120; i++) {
      const score =
        i % 3 === 0 ? 3 + random.int(4) : i % 3 === 1 ? 9 + random.int(2) : 7 + random.int(2);
      const regular = random.next() < 0.5;
      const contact = await buildContact(t.db.kysely, owner.organisationId, {
        email: `klant${i}@example.nl`,
        email_key: `klant${i}@example.nl`,
        segment: i % 2 === 0 ? 'Particulier' : 'Zakelijk',
      });
      const answeredAt = now - (400 + random.int(100)) * DAY;
      await buildResponse(
        t.db.kysely,
        { organisationId: owner.organisationId, surveyId: survey.id },
        {
          contact_id: contact.id,
          score,
          answered_at: answeredAt,
        },
      );
      if (regular) {
        for (const back of [100, 250]) {
          visits.push({
            customer: { email: contact.email },
            visitedAt: new Date(answeredAt - back * DAY).toISOString(),
            amount: 60,
          });
        }
      }
      const p = (score >= 9 ? 0.75 : score >= 7 ? 0.5 : 0.25) + (regular ? 0.2 : 0);
      const returns = random.next() < p;
      const days = 5 + random.int(300);
      if (returns) {
        visits.push({
          customer: { email: contact.email },
          visitedAt: new Date(answeredAt + days * DAY).toISOString(),
          amount: 100 + random.int(200),
        });
      }
      if (score >= 9) {
        promoterTimes.push(
          returns
            ? { time: days, events: 1, censored: 0 }
            : { time: Math.floor((now - answeredAt) / DAY), events: 0, censored: 1 },
        );
      }
    }
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/visits/batch',
      payload: { visits },
    });
    if (res.statusCode !== 200) throw new Error(`visits: ${res.statusCode} ${res.body}`);
  });
  afterAll(async () => t.close());

  it('shows return per category, the same curve as computed from the raw data, and the prediction', async () => {
    const res = await owner.request({ method: 'GET', url: '/api/v1/loyalty?windowDays=365' });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<{
      categories: {
        category: string;
        customers: number;
        within: { days: number; estimate: number | null; low: number; high: number }[];
      }[];
      prediction: { verdict: string; customers: number; aucScore: { estimate: number } | null };
      earnedGrowth: unknown[];
    }>();
    const promoters = report.categories.find((c) => c.category === 'promoter');
    const detractors = report.categories.find((c) => c.category === 'detractor');
    expect(promoters?.customers).toBe(40);
    expect(detractors?.customers).toBe(40);
    const independent = kaplanMeier(promoterTimes);
    const at365 = survivalAt(independent, 365);
    expect(promoters?.within[1]?.estimate).toBeCloseTo(1 - (at365?.survival ?? 1), 10);
    expect(promoters?.within[1]?.low).toBeCloseTo(1 - (at365?.high ?? 1), 10);
    expect(promoters?.within[1]?.estimate).toBeGreaterThan(detractors?.within[1]?.estimate ?? 1);
    expect(report.prediction.customers).toBe(120);
    expect(report.prediction.verdict).not.toBe('not_enough_data');
    expect(report.prediction.aucScore?.estimate).toBeGreaterThan(0.5);
    expect(report.earnedGrowth).toHaveLength(12);
  });

  it('says "not enough data" for a business without answers', async () => {
    const other = await buildOrganisation(t, 'Nieuwe Garage');
    const res = await other.request({ method: 'GET', url: '/api/v1/loyalty' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      prediction: { verdict: 'not_enough_data', customers: 0, shortBy: 30 },
    });
  });

  it("shows an account manager their own customers' figures only, and one without an employee none", async () => {
    const garage = await buildOrganisation(t, 'Garage Eigen Klanten');
    const survey = await buildSurvey(t.db.kysely, garage.organisationId);
    const anna = await buildEmployee(t.db.kysely, garage.organisationId, { name: 'Anna' });
    const bert = await buildEmployee(t.db.kysely, garage.organisationId, { name: 'Bert' });
    // Anna owns two promoters, Bert three detractors, one customer is nobody's.
    const owners = [anna.id, anna.id, bert.id, bert.id, bert.id, null];
    for (const [i, owner] of owners.entries()) {
      const contact = await buildContact(t.db.kysely, garage.organisationId, {
        owner_employee_id: owner,
      });
      await buildResponse(
        t.db.kysely,
        { organisationId: garage.organisationId, surveyId: survey.id },
        {
          contact_id: contact.id,
          score: owner === anna.id ? 10 : 2,
          answered_at: t.clock.now - (50 + i) * DAY,
        },
      );
    }
    type Report = { categories: { category: string; customers: number }[] };
    const customers = async (client: Client) => {
      const res = await client.request({ method: 'GET', url: '/api/v1/loyalty' });
      expect(res.statusCode, res.body).toBe(200);
      return Object.fromEntries(
        res.json<Report>().categories.map((c) => [c.category, c.customers]),
      );
    };
    expect(await customers(garage)).toMatchObject({ promoter: 2, detractor: 4 });
    const annaClient = await buildMember(t, garage.organisationId, 'account_manager', anna.id);
    expect(await customers(annaClient)).toMatchObject({ promoter: 2, detractor: 0 });
    const bertClient = await buildMember(t, garage.organisationId, 'account_manager', bert.id);
    expect(await customers(bertClient)).toMatchObject({ promoter: 0, detractor: 3 });
    const unlinked = await buildMember(t, garage.organisationId, 'account_manager', null);
    expect(await customers(unlinked)).toMatchObject({ promoter: 0, detractor: 0 });
    const viewer = await buildMember(t, garage.organisationId, 'viewer');
    expect(await customers(viewer)).toMatchObject({ promoter: 2, detractor: 4 });
  });
});
