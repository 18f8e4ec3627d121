import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../../src/shared/ids.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildEmployee, buildResponse, buildSurvey } from '../support/factories.ts';
import { buildMember, buildOrganisation, type Client, type TestApp } from '../support/harness.ts';
import { INSIGHT_NOW, startInsight, type BreakdownGroup } from '../support/insight.ts';

type Group = Pick<BreakdownGroup, 'key' | 'label' | 'n'>;

/**
 * Who sees which rows of a per-person breakdown (issue 10): the owner everyone, a manager with a
 * team that team and themselves, an account manager only their own row — while the reference (the
 * organisation, the prior, the funnel) stays the whole organisation's. And the first screen's
 * open-cases count is a count, not the length of a capped list.
 */
describeEachDialect('insight: per-person breakdowns by role, open cases counted', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  const now = INSIGHT_NOW;
  const people: Record<string, { id: string }> = {};

  beforeAll(async () => {
    ({ t, owner, orgId } = await startInsight(dialect, 'Installateur Scope'));
    const survey = await buildSurvey(t.db.kysely, orgId);
    const ref = { organisationId: orgId, surveyId: survey.id };
    const plan: Array<[string, string, number]> = [
      ['Chef Noord', 'Noord', 9],
      ['Sanne Noord', 'Noord', 10],
      ['Piet Noord', 'Noord', 6],
      ['Kees Zuid', 'Zuid', 3],
      ['Ank Zuid', 'Zuid', 8],
    ];
    let k = 0;
    for (const [name, team, score] of plan) {
      const e = await buildEmployee(t.db.kysely, orgId, { name, team });
      people[name] = e;
      for (let i = 0; i < 12; i++) {
        await buildResponse(t.db.kysely, ref, {
          score: i < 3 ? 10 - score : score,
          owner_employee_id: e.id,
          answered_at: now - 5 * 86_400_000 + k++,
        });
      }
    }
  });
  afterAll(async () => t.close());

  const byRole = async (c: Client, dimension: 'employee' | 'team') => {
    const res = await c.request({
      url: `/api/v1/results/breakdown?dimension=${dimension}&from=2026-10-01&to=2026-11-02`,
    });
    return res;
  };
  const labels = (groups: Group[]) => groups.map((g) => g.label).sort();

  it('shows the owner every account manager and every team', async () => {
    const res = await byRole(owner, 'employee');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ groups: Group[]; organisation: { total: number } }>();
    expect(labels(body.groups)).toEqual([
      'Ank Zuid',
      'Chef Noord',
      'Kees Zuid',
      'Piet Noord',
      'Sanne Noord',
    ]);
    expect(body.organisation.total).toBe(60);
    const teams = (await byRole(owner, 'team')).json<{ groups: Group[] }>();
    expect(labels(teams.groups)).toEqual(['Noord', 'Zuid']);
  });

  it('limits a team manager to their team and themselves, against the whole organisation', async () => {
    const chef = await buildMember(t, orgId, 'manager', people['Chef Noord']?.id ?? null);
    const res = await byRole(chef, 'employee');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ groups: Group[]; organisation: { total: number } }>();
    expect(labels(body.groups)).toEqual(['Chef Noord', 'Piet Noord', 'Sanne Noord']);
    // The reference is still everyone's answers: the team is compared with the organisation.
    expect(body.organisation.total).toBe(60);
    const owners = (await byRole(owner, 'employee')).json<{
      groups: Array<Group & { shrunk: { estimate: number } }>;
    }>();
    const mine = res.json<{ groups: Array<Group & { shrunk: { estimate: number } }> }>();
    // The same shrunk estimate as the owner sees: the prior is fitted from everyone.
    for (const g of mine.groups) {
      expect(g.shrunk.estimate).toBeCloseTo(
        owners.groups.find((o) => o.key === g.key)?.shrunk.estimate ?? NaN,
        10,
      );
    }
    const teams = (await byRole(chef, 'team')).json<{ groups: Group[] }>();
    expect(labels(teams.groups)).toEqual(['Noord']);
  });

  it('limits an account manager to their own row and refuses them the team ranking', async () => {
    const sanne = await buildMember(t, orgId, 'account_manager', people['Sanne Noord']?.id ?? null);
    const res = await byRole(sanne, 'employee');
    expect(res.statusCode, res.body).toBe(200);
    const groups = res.json<{ groups: Group[] }>().groups;
    expect(groups.map((g) => [g.label, g.n])).toEqual([['Sanne Noord', 12]]);
    expect((await byRole(sanne, 'team')).statusCode).toBe(403);
    // Without a linked employee an account manager sees no one.
    const nobody = await buildMember(t, orgId, 'account_manager', null);
    const none = await byRole(nobody, 'employee');
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json<{ groups: Group[] }>().groups).toEqual([]);
  });

  it('counts open recovery cases exactly, past any page size', async () => {
    const garage = await buildOrganisation(t, 'Garage Telling');
    const org = garage.organisationId;
    const survey = await buildSurvey(t.db.kysely, org);
    const open = 7;
    for (let i = 0; i < open + 2; i++) {
      const contact = await buildContact(t.db.kysely, org, { name: `Klant ${i}` });
      const r = await buildResponse(
        t.db.kysely,
        { organisationId: org, surveyId: survey.id },
        { score: 2, contact_id: contact.id, answered_at: now - i * 1000 },
      );
      await t.db.kysely
        .insertInto('cases')
        .values({
          id: newId(),
          organisation_id: org,
          contact_id: contact.id,
          kind: 'recovery',
          // Two closed ones that the count must leave out.
          status: i < open ? 'open' : 'resolved',
          priority: 'normal',
          reasons: '{"reasons":[],"themeWords":[]}',
          owner_employee_id: null,
          owner_rule: 'none',
          team: null,
          response_id: r.id,
          survey_id: survey.id,
          opened_score: 2,
          opened_category: 'detractor',
          opened_at: now - i * 1000,
          due_at: now + 86_400_000,
          first_contact_at: null,
          escalated_at: null,
          alerted_at: null,
          closed_at: i < open ? null : now,
          follow_up_invitation_id: null,
          follow_up_score: null,
          follow_up_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    const res = await garage.request({
      url: '/api/v1/cases?status=active&kind=recovery&limit=2&total=true',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ items: unknown[]; total: number }>();
    expect(body.items).toHaveLength(2);
    expect(body.total).toBe(open);
    const without = await garage.request({ url: '/api/v1/cases?status=active&limit=2' });
    expect(without.json<{ total?: number }>().total).toBeUndefined();
  });
});
