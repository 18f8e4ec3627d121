import { afterAll, beforeAll, expect, it } from 'vitest';
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

interface Home {
  employee: { id: string; name: string; team: string | null };
  own: { nps: number; total: number };
  organisation: { nps: number; total: number };
  change: { real: boolean; direction: string };
  employeeScore: { mean: number; low: number; high: number; n: number } | null;
  trend: { own: Array<{ total: number }>; organisation: Array<{ total: number }> };
  comments: Array<{ comment: string }>;
  praise: Array<{ comment: string | null; employeeScore: number | null }>;
  contactRequests: Array<{ contact: { name: string } | null }>;
}

/**
 * An account manager's own results (issue 10): their NPS against the organisation's, comments,
 * praise and contact requests; only their own page (a colleague's is 403), a manager their team,
 * nothing per employee when the works council switch is off, nothing across organisations.
 */
describeEachDialect('insight: an account manager’s own home and a manager’s team', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  let sanne: string;
  let pieter: string;
  let kim: string;
  const now = Date.UTC(2026, 10, 1, 9, 0, 0); // the harness clock

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Schilders Oost');
    orgId = owner.organisationId;
    const db = t.db.kysely;
    sanne = (await buildEmployee(db, orgId, { name: 'Sanne de Boer', team: 'Noord' })).id;
    pieter = (await buildEmployee(db, orgId, { name: 'Pieter Bakker', team: 'Noord' })).id;
    kim = (await buildEmployee(db, orgId, { name: 'Kim Visser', team: 'Zuid' })).id;
    const survey = await buildSurvey(db, orgId);
    const ref = { organisationId: orgId, surveyId: survey.id };
    const klant = await buildContact(db, orgId, { name: 'Jan de Klant' });
    // Sanne: 40 answers in the last 90 days, 30 promoters and 10 detractors (NPS +50).
    for (let i = 0; i < 40; i++) {
      await buildResponse(db, ref, {
        score: i < 30 ? 10 : 3,
        owner_employee_id: sanne,
        answered_at: now - (1 + i) * DAY,
        comment:
          i === 0
            ? 'Sanne dacht echt met ons mee'
            : i === 1
              ? 'Prima geholpen'
              : i === 35
                ? 'Te laat gebeld'
                : null,
        employee_score: i === 1 ? 9 : i < 10 ? 7 : null,
        may_contact: i === 35 ? 1 : 0,
        contact_id: i === 35 ? klant.id : null,
      });
    }
    // Pieter and Kim: 20 answers each, all passives.
    for (const employee of [pieter, kim]) {
      for (let i = 0; i < 20; i++) {
        await buildResponse(db, ref, {
          score: 8,
          owner_employee_id: employee,
          answered_at: now - (1 + i) * DAY,
        });
      }
    }
  });
  afterAll(async () => t.close());

  it('shows an account manager their NPS against the organisation, comments, praise and contact requests', async () => {
    const am = await buildMember(t, orgId, 'account_manager', sanne);
    const res = await am.request({ url: `/api/v1/results/employees/${sanne}` });
    expect(res.statusCode, res.body).toBe(200);
    const home = res.json<Home>();
    expect(home.employee).toEqual({ id: sanne, name: 'Sanne de Boer', team: 'Noord' });
    expect(home.own).toMatchObject({ nps: 50, total: 40 });
    // The organisation: 30 promoters, 40 passives, 10 detractors of 80 (NPS +25).
    expect(home.organisation).toMatchObject({ nps: 25, total: 80 });
    expect(home.change).toMatchObject({ real: false, direction: 'none' });
    expect(home.trend.own.reduce((n, p) => n + p.total, 0)).toBe(40);
    expect(home.trend.organisation.reduce((n, p) => n + p.total, 0)).toBe(80);
    expect(home.trend.own.length).toBe(home.trend.organisation.length);
    expect(home.comments.map((c) => c.comment)).toEqual([
      'Sanne dacht echt met ons mee',
      'Prima geholpen',
      'Te laat gebeld',
    ]);
    // Praise: the comment naming her, and the 9 for her in the employee question.
    expect(home.praise.map((p) => [p.comment, p.employeeScore])).toEqual([
      ['Sanne dacht echt met ons mee', 7],
      ['Prima geholpen', 9],
    ]);
    expect(home.contactRequests.map((c) => c.contact?.name)).toEqual(['Jan de Klant']);
    // Employee score: nine 7s and one 9 → mean 7.2 with an interval around it.
    expect(home.employeeScore?.n).toBe(10);
    expect(home.employeeScore?.mean).toBeCloseTo(7.2, 10);
    expect(home.employeeScore?.low).toBeLessThan(7.2);
    expect(home.employeeScore?.high).toBeGreaterThan(7.2);
  });

  it('answers 403, never data, when an account manager opens a colleague’s page', async () => {
    const am = await buildMember(t, orgId, 'account_manager', sanne);
    const res = await am.request({ url: `/api/v1/results/employees/${pieter}` });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('forbidden');
    expect(res.body).not.toContain('Pieter');
    const team = await am.request({ url: '/api/v1/results/team' });
    expect(team.statusCode).toBe(403);
  });

  it('lets a manager see their own team, and nobody else’s', async () => {
    const manager = await buildMember(t, orgId, 'manager', pieter);
    expect((await manager.request({ url: `/api/v1/results/employees/${sanne}` })).statusCode).toBe(
      200,
    );
    const other = await manager.request({ url: `/api/v1/results/employees/${kim}` });
    expect(other.statusCode).toBe(403);
    const team = await manager.request({ url: '/api/v1/results/team' });
    expect(team.statusCode, team.body).toBe(200);
    const body = team.json<{ team: string; members: Array<{ name: string; n: number }> }>();
    expect(body.team).toBe('Noord');
    expect(body.members.map((m) => [m.name, m.n])).toEqual([
      ['Sanne de Boer', 40],
      ['Pieter Bakker', 20],
    ]);
    // The owner sees every account manager with answers.
    const all = await owner.request({ url: '/api/v1/results/team' });
    expect(all.json<{ team: null; members: unknown[] }>()).toMatchObject({ team: null });
    expect(all.json<{ members: unknown[] }>().members).toHaveLength(3);
  });

  it('keeps another organisation out and gives nothing per employee with the switch off', async () => {
    const other = await buildOrganisation(t, 'Andere Schilders');
    const foreign = await other.request({ url: `/api/v1/results/employees/${sanne}` });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain('Sanne');
    const off = await buildOrganisation(t, 'Ondernemingsraad BV');
    const employee = await buildEmployee(t.db.kysely, off.organisationId, { name: 'Eva' });
    const patched = await off.request({
      method: 'PATCH',
      url: '/api/v1/organisation',
      payload: { settings: { employeeNpsEnabled: false } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const am = await buildMember(t, off.organisationId, 'account_manager', employee.id);
    const res = await am.request({ url: `/api/v1/results/employees/${employee.id}` });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('employee_nps_disabled');
    expect((await off.request({ url: '/api/v1/results/team' })).statusCode).toBe(403);
    const bad = await owner.request({ url: '/api/v1/results/employees/not-a-uuid' });
    expect(bad.statusCode).toBe(400);
  });
});
