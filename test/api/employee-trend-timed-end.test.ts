import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildEmployee, buildResponse, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

/** An employee's home with a period that ends at a time of day (allowed: "dates or ISO times"). */
describeEachDialect(
  'the employee home’s trend with a period ending at a time of day',
  (dialect) => {
    let t: TestApp;
    let owner: Client;
    let anna: string;

    beforeAll(async () => {
      t = await startTestApp(dialect); // clock: 1 November 2026 09:00 UTC
      owner = await buildOrganisation(t, 'Garage Tijdstip');
      const orgId = owner.organisationId;
      anna = (await buildEmployee(t.db.kysely, orgId, { name: 'Anna Smit' })).id;
      const survey = await buildSurvey(t.db.kysely, orgId);
      const ref = { organisationId: orgId, surveyId: survey.id };
      // 5, 12 and 20 October 2026 at noon UTC: 10, 9, 3.
      for (const [day, score] of [
        [5, 10],
        [12, 9],
        [20, 3],
      ] as const) {
        await buildResponse(t.db.kysely, ref, {
          score,
          owner_employee_id: anna,
          answered_at: Date.UTC(2026, 9, day, 12),
        });
      }
    });
    afterAll(async () => t.close());

    it('counts the same answers in the trend as in the NPS above it', async () => {
      for (const to of ['2026-10-31', '2026-10-31T18:00:00%2B01:00']) {
        const res = await owner.request({
          url: `/api/v1/results/employees/${anna}?from=2026-10-05&to=${to}&interval=week`,
        });
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json<{
          own: { total: number };
          trend: { own: Array<{ total: number }>; organisation: Array<{ total: number }> };
        }>();
        expect(body.own.total, to).toBe(3);
        expect(
          body.trend.own.reduce((n, p) => n + p.total, 0),
          `own trend, to=${to}`,
        ).toBe(3);
        expect(
          body.trend.organisation.reduce((n, p) => n + p.total, 0),
          `organisation trend, to=${to}`,
        ).toBe(3);
      }
    });
  },
);
