import { afterAll, beforeAll, expect, it } from 'vitest';
import { localMidnight } from '../../src/modules/analytics/calendar.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildEmployee, buildResponse, buildSurvey } from '../support/factories.ts';
import { buildMember, buildOrganisation, type Client, type TestApp } from '../support/harness.ts';
import { INSIGHT_NOW, startInsight, type BreakdownGroup } from '../support/insight.ts';

type Group = BreakdownGroup;

/**
 * The first screen and the breakdowns (issue 10): a period with its previous one and an honest
 * verdict on the change, NPS per account manager shrunk toward the organisation with funnel-plot
 * positions, and the record scope and works-council switch respected.
 */
describeEachDialect('insight: overview and breakdowns', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  const now = INSIGHT_NOW;

  beforeAll(async () => {
    ({ t, owner, orgId } = await startInsight(dialect));
  });
  afterAll(async () => t.close());

  it('shows the last 90 days against the 90 before, with a real rise and the latest comments', async () => {
    const garage = await buildOrganisation(t, 'Garage Overzicht');
    const survey = await buildSurvey(t.db.kysely, garage.organisationId);
    const ref = { organisationId: garage.organisationId, surveyId: survey.id };
    const day = 86_400_000;
    // Previous period: 100 answers at NPS 0 (40 promoters, 20 passives, 40 detractors).
    // Current period: 100 answers at NPS 50 (60 promoters, 30 passives, 10 detractors).
    for (let i = 0; i < 100; i++) {
      const previous = i < 40 ? 10 : i < 60 ? 7 : 2;
      const current = i < 60 ? 9 : i < 90 ? 8 : 4;
      await buildResponse(t.db.kysely, ref, {
        score: previous,
        answered_at: now - 120 * day + i * 1000,
      });
      await buildResponse(t.db.kysely, ref, {
        score: current,
        answered_at: now - 10 * day + i * 1000,
        comment: i >= 94 ? `Opmerking ${i}` : null,
      });
    }
    const res = await garage.request({ url: '/api/v1/results/overview' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      period: { from: string; to: string };
      total: number;
      nps: number;
      previous: { total: number; nps: number };
      change: { change: number; real: boolean; direction: string; pValue: number };
      latestComments: Array<{ comment: string }>;
      source: string;
    }>();
    // 90 whole local days ending at the end of today (1 November, Amsterdam).
    expect(body.period.to).toBe(new Date(localMidnight(2026, 10, 2)).toISOString());
    expect(body.period.from).toBe(new Date(localMidnight(2026, 7, 4)).toISOString());
    expect(body.total).toBe(100);
    expect(body.nps).toBe(50);
    expect(body.previous).toMatchObject({ total: 100, nps: 0 });
    expect(body.change).toMatchObject({ change: 50, real: true, direction: 'up' });
    expect(body.change.pValue).toBeLessThan(0.001);
    expect(body.latestComments.map((c) => c.comment)).toEqual([
      'Opmerking 99',
      'Opmerking 98',
      'Opmerking 97',
      'Opmerking 96',
      'Opmerking 95',
    ]);
    expect(body.source).toBe('daily');

    // A small move on few answers is not called real.
    const small = await garage.request({
      url: `/api/v1/results/overview?surveyId=${survey.id}&from=2026-10-22&to=2026-10-22`,
    });
    expect(small.json<{ change: { real: boolean } }>().change.real).toBe(false);
  });

  it('breaks the NPS down per account manager with shrinkage and the funnel', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const ref = { organisationId: orgId, surveyId: survey.id };
    const sanne = await buildEmployee(t.db.kysely, orgId, { name: 'Sanne de Boer' });
    const pieter = await buildEmployee(t.db.kysely, orgId, { name: 'Pieter Bakker' });
    const kim = await buildEmployee(t.db.kysely, orgId, { name: 'Kim Visser' });
    // Sanne: 200 answers at NPS 70; Pieter: 200 at NPS −10; Kim: 3 answers, all promoters.
    const plan: Array<[string, number, number, number]> = [
      [sanne.id, 150, 40, 10],
      [pieter.id, 60, 60, 80],
      [kim.id, 3, 0, 0],
    ];
    let k = 0;
    for (const [employee, p, o, d] of plan) {
      for (const score of [
        ...new Array<number>(p).fill(10),
        ...new Array<number>(o).fill(8),
        ...new Array<number>(d).fill(3),
      ]) {
        await buildResponse(t.db.kysely, ref, {
          score,
          owner_employee_id: employee,
          answered_at: now - 3 * 86_400_000 + k++,
        });
      }
    }
    const res = await owner.request({
      url: `/api/v1/results/breakdown?dimension=employee&from=2026-10-01&to=2026-11-01`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ groups: Group[]; organisation: { nps: number }; funnel: unknown[] }>();
    const byName = new Map(body.groups.map((g) => [g.label, g]));
    const s = byName.get('Sanne de Boer');
    const p = byName.get('Pieter Bakker');
    const kimGroup = byName.get('Kim Visser');
    expect(s).toMatchObject({ n: 200, nps: 70, belowMinimum: false, funnel: 'far-above' });
    expect(p).toMatchObject({ n: 200, nps: -10, belowMinimum: false, funnel: 'far-below' });
    // Kim's raw 100 on three answers is pulled far toward the organisation and is not ranked first.
    expect(kimGroup).toMatchObject({ n: 3, nps: 100, belowMinimum: true });
    expect(kimGroup?.shrunk.estimate).toBeLessThan(100);
    expect(kimGroup?.shrunk.estimate).toBeGreaterThan(body.organisation.nps);
    expect(body.groups[0]?.label).toBe('Sanne de Boer');
    expect(body.funnel.length).toBeGreaterThan(10);

    // An account manager opens their own figures, never the ranking of colleagues.
    const am = await buildMember(t, orgId, 'account_manager', sanne.id);
    const onlyOwn = await am.request({
      url: `/api/v1/results/breakdown?dimension=employee&from=2026-10-01&to=2026-11-01`,
    });
    expect(onlyOwn.statusCode, onlyOwn.body).toBe(200);
    expect(onlyOwn.json<{ groups: Group[] }>().groups.map((g) => g.label)).toEqual([
      'Sanne de Boer',
    ]);
    const denied = await am.request({ url: '/api/v1/results/breakdown?dimension=team' });
    expect(denied.statusCode).toBe(403);
    const own = await am.request({ url: '/api/v1/results/breakdown?dimension=segment' });
    expect(own.statusCode).toBe(200);
    expect(own.json<{ groups: Group[] }>().groups.reduce((n, g) => n + g.n, 0)).toBe(200);
  });

  it('refuses per-employee breakdowns when the works council switch is off', async () => {
    const org = await buildOrganisation(t, 'Installatiebedrijf Noord');
    const off = await org.request({
      method: 'PATCH',
      url: '/api/v1/organisation',
      payload: { settings: { employeeNpsEnabled: false } },
    });
    expect(off.statusCode, off.body).toBe(200);
    const res = await org.request({ url: '/api/v1/results/breakdown?dimension=team' });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('employee_nps_disabled');
    const bad = await org.request({ url: '/api/v1/results/breakdown?dimension=colour' });
    expect(bad.statusCode).toBe(400);
  });

  it('starts a trend at the first answer: a fresh organisation sees no empty months', async () => {
    const fresh = await buildOrganisation(t, 'Bakkerij Vers');
    const none = await fresh.request({ url: '/api/v1/results/trend' });
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json<{ points: unknown[] }>().points).toEqual([]);
    const survey = await buildSurvey(t.db.kysely, fresh.organisationId);
    const ref = { organisationId: fresh.organisationId, surveyId: survey.id };
    // Two answers on 29 October 2026 (three days before the harness clock).
    for (const score of [9, 3]) {
      await buildResponse(t.db.kysely, ref, { score, answered_at: now - 3 * 86_400_000 });
    }
    const months = await fresh.request({ url: '/api/v1/results/trend' });
    const points = months.json<{ points: Array<{ period: string; total: number }> }>().points;
    expect(points.map((p) => [p.period, p.total])).toEqual([
      ['2026-10', 2],
      ['2026-11', 0],
    ]);
    // An explicit longer period is clipped the same way, per week too.
    const weeks = await fresh.request({
      url: '/api/v1/results/trend?interval=week&from=2026-05-01&to=2026-11-01',
    });
    const weekly = weeks.json<{ points: Array<{ period: string; total: number }> }>().points;
    expect(weekly.map((p) => [p.period, p.total])).toEqual([['2026-W44', 2]]);
  });
});
