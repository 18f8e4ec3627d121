import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildEmployee, buildResponse, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { judgeGroupChanges } from '../../src/domain/statistics/celebrate.ts';

const DAY = 86_400_000;

/**
 * Small samples must not look like knowledge (PRODUCT.md principle 4 and 6): a person with one or
 * two answers gets a wide interval, and six answers are not "een echte stijging".
 */
describeEachDialect(
  'small samples in the employee insight: no story told from noise',
  (dialect) => {
    let t: TestApp;
    let owner: Client;
    let orgId: string;
    let anna: string;
    let bas: string;
    let cor: string;
    const now = Date.UTC(2026, 10, 1, 9, 0, 0); // the harness clock

    beforeAll(async () => {
      t = await startTestApp(dialect);
      owner = await buildOrganisation(t, 'Installatiebedrijf Klein');
      orgId = owner.organisationId;
      const db = t.db.kysely;
      anna = (await buildEmployee(db, orgId, { name: 'Anna Smit', team: 'Noord' })).id;
      bas = (await buildEmployee(db, orgId, { name: 'Bas Mulder', team: 'Noord' })).id;
      cor = (await buildEmployee(db, orgId, { name: 'Cor Jansen', team: 'Zuid' })).id;
      const survey = await buildSurvey(db, orgId);
      const ref = { organisationId: orgId, surveyId: survey.id };
      // The last 90 days: Anna one 10, Bas a 9 and a 10. (A young programme: only promoters so far.)
      await buildResponse(db, ref, {
        score: 10,
        owner_employee_id: anna,
        answered_at: now - 3 * DAY,
      });
      await buildResponse(db, ref, {
        score: 9,
        owner_employee_id: bas,
        answered_at: now - 4 * DAY,
      });
      await buildResponse(db, ref, {
        score: 10,
        owner_employee_id: bas,
        answered_at: now - 5 * DAY,
      });
      // Cor: three detractors in the 90 days before, three promoters in the last 90 days.
      for (let i = 0; i < 3; i++) {
        await buildResponse(db, ref, {
          score: 2,
          owner_employee_id: cor,
          answered_at: now - (100 + i) * DAY,
        });
        await buildResponse(db, ref, {
          score: 10,
          owner_employee_id: cor,
          answered_at: now - (10 + i) * DAY,
        });
      }
    });
    afterAll(async () => t.close());

    it('does not make a shrunk estimate surer than the whole organisation’s NPS (groups that look alike)', async () => {
      // A second organisation, three account managers, eleven answers in all, with detractors.
      const other = await buildOrganisation(t, 'Accountants Samen');
      const db = t.db.kysely;
      const survey = await buildSurvey(db, other.organisationId);
      const ref = { organisationId: other.organisationId, surveyId: survey.id };
      const scores: Record<string, number[]> = {
        Eva: [10],
        Frank: [9, 10, 3, 8, 9],
        Gijs: [10, 9, 7, 2, 10],
      };
      for (const [name, list] of Object.entries(scores)) {
        const id = (await buildEmployee(db, other.organisationId, { name })).id;
        for (const [i, score] of list.entries()) {
          await buildResponse(db, ref, {
            score,
            owner_employee_id: id,
            answered_at: now - (2 + i) * DAY,
          });
        }
      }
      const res = await other.request({
        url: '/api/v1/results/breakdown?dimension=employee&minimumN=30',
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{
        organisation: { total: number; interval: { low: number; high: number } };
        groups: Array<{
          label: string;
          n: number;
          shrunk: { estimate: number; low: number; high: number };
        }>;
      }>();
      expect(body.organisation.total).toBe(11);
      const orgWidth = body.organisation.interval.high - body.organisation.interval.low;
      // Eleven answers cannot pin any account manager's NPS down more tightly than half the width of
      // the organisation's own 95 % interval.
      for (const g of body.groups) {
        expect(g.shrunk.high - g.shrunk.low, g.label).toBeGreaterThan(orgWidth / 2);
      }
    });

    it('does not give one answer a 95 % interval a few points wide (breakdown and team)', async () => {
      const res = await owner.request({
        url: '/api/v1/results/breakdown?dimension=employee&minimumN=30',
      });
      expect(res.statusCode, res.body).toBe(200);
      const groups = res.json<{
        groups: Array<{
          key: string;
          n: number;
          interval: { low: number; high: number };
          shrunk: { estimate: number; low: number; high: number };
        }>;
      }>().groups;
      const annaRow = groups.find((g) => g.key === anna);
      expect(annaRow?.n).toBe(1);
      // Her raw adjusted-Wald interval from one answer is about −48 … +98. The estimate shrunk toward
      // the organisation may be narrower, but one answer cannot pin an NPS to within a few points, nor
      // place it above what her own answer allows.
      expect((annaRow?.shrunk.high ?? 0) - (annaRow?.shrunk.low ?? 0)).toBeGreaterThan(20);
      const team = await owner.request({ url: '/api/v1/results/team?minimumN=30' });
      const member = team
        .json<{
          members: Array<{ employeeId: string; shrunk: { low: number; high: number } | null }>;
        }>()
        .members.find((m) => m.employeeId === anna);
      expect((member?.shrunk?.high ?? 0) - (member?.shrunk?.low ?? 0)).toBeGreaterThan(20);
    });

    it('does not call a change of three answers to three answers “a real rise” when the celebrate rule calls it noise', async () => {
      const res = await owner.request({ url: `/api/v1/results/employees/${cor}` });
      expect(res.statusCode, res.body).toBe(200);
      const home = res.json<{
        own: { total: number };
        previous: { total: number };
        change: { real: boolean; direction: string };
      }>();
      expect([home.previous.total, home.own.total]).toEqual([3, 3]);
      // The notification rule on the same counts: no verdict (fewer than 10 answers each period).
      const [judged] = judgeGroupChanges([
        {
          key: cor,
          before: { promoters: 0, passives: 0, detractors: 3 },
          after: { promoters: 3, passives: 0, detractors: 0 },
        },
      ]);
      expect(judged?.verdict).toBeNull();
      // The home page shows "een echte stijging" for the same six answers.
      expect(home.change).toMatchObject({ real: false, direction: 'none' });
    });
  },
);
