import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { SCORE_COLUMNS } from '../../src/db/schema.ts';
import { rebuildRollups } from '../../src/modules/analytics/rollups.service.ts';
import { startOfLocalDay } from '../../src/modules/analytics/calendar.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildEmployee, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const DAY = 86_400_000;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * The rollups the dashboards read agree with the answers they summarise: after answers through
 * every door (personal link, one-click score, anonymous link), after edits that change a score,
 * after a rebuild from scratch — on both databases.
 */
describeEachDialect('NPS rollups', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t);
    orgId = owner.organisationId;
  });
  afterAll(async () => t.close());

  /** The rollup rows and the answers grouped the same way, as comparable sorted lists. */
  async function compare() {
    const fromAnswers = await sql<Record<string, unknown>>`
      select survey_id, channel, coalesce(segment, '') as segment, answered_at, score
      from responses where organisation_id = ${orgId}`.execute(t.db.kysely);
    const daily = new Map<string, number[]>();
    const employee = new Map<string, number[]>();
    const ownerOf = await sql<{
      answered_at: number;
      owner_employee_id: string | null;
      score: number;
    }>`
      select answered_at, owner_employee_id, score from responses where organisation_id = ${orgId}`.execute(
      t.db.kysely,
    );
    for (const r of fromAnswers.rows) {
      const key = [startOfLocalDay(Number(r.answered_at)), r.survey_id, r.channel, r.segment].join(
        '|',
      );
      const h = daily.get(key) ?? new Array<number>(11).fill(0);
      h[Number(r.score)] = (h[Number(r.score)] ?? 0) + 1;
      daily.set(key, h);
    }
    for (const r of ownerOf.rows) {
      if (!r.owner_employee_id) continue;
      const key = [startOfLocalDay(Number(r.answered_at)), r.owner_employee_id].join('|');
      const h = employee.get(key) ?? new Array<number>(11).fill(0);
      h[Number(r.score)] = (h[Number(r.score)] ?? 0) + 1;
      employee.set(key, h);
    }
    const dailyRows = await t.db.kysely
      .selectFrom('rollup_nps_daily')
      .selectAll()
      .where('organisation_id', '=', orgId)
      .execute();
    const employeeRows = await t.db.kysely
      .selectFrom('rollup_nps_employee_daily')
      .selectAll()
      .where('organisation_id', '=', orgId)
      .execute();
    const nonZero = (h: number[]) => h.some((n) => n !== 0);
    const rolledDaily = new Map(
      dailyRows
        .map(
          (r) =>
            [
              [Number(r.day), r.survey_id, r.channel, r.segment].join('|'),
              SCORE_COLUMNS.map((s) => Number(r[s])),
            ] as const,
        )
        .filter(([, h]) => nonZero(h)),
    );
    const rolledEmployee = new Map(
      employeeRows
        .map(
          (r) =>
            [
              [Number(r.day), r.employee_id].join('|'),
              SCORE_COLUMNS.map((s) => Number(r[s])),
            ] as const,
        )
        .filter(([, h]) => nonZero(h)),
    );
    const sorted = (m: Map<string, number[]>) =>
      [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
    return {
      daily: { answers: sorted(daily), rollup: sorted(rolledDaily) },
      employee: { answers: sorted(employee), rollup: sorted(rolledEmployee) },
      rows: dailyRows.length + employeeRows.length,
    };
  }

  it('agree with the answers after answers, edits and a rebuild', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const sanne = await buildEmployee(t.db.kysely, orgId, { name: 'Sanne de Boer', team: 'Noord' });
    const pieter = await buildEmployee(t.db.kysely, orgId, { name: 'Pieter Bakker', team: 'Zuid' });
    const scores = [10, 9, 9, 8, 7, 6, 3, 0, 10, 5, 9, 2];
    const invitations = [];
    for (let i = 0; i < scores.length; i++) {
      const contact = await buildContact(t.db.kysely, orgId, {
        owner_employee_id: i % 3 === 0 ? sanne.id : i % 3 === 1 ? pieter.id : null,
        segment: i % 2 === 0 ? 'Particulier' : 'Zakelijk',
      });
      invitations.push(
        await buildInvitation(t.db.kysely, {
          organisationId: orgId,
          surveyId: survey.id,
          contactId: contact.id,
        }),
      );
    }
    // Answers spread over four days, one across local midnight (23:30 and 00:30 Amsterdam time).
    for (let i = 0; i < scores.length; i++) {
      t.clock.now = Date.UTC(2026, 10, 1, 22, 30) + Math.floor(i / 3) * DAY + (i % 2) * 3600_000;
      const invitation = invitations[i];
      if (!invitation) throw new Error('missing invitation');
      const res = await t.app.inject({
        method: 'POST',
        url: `/r/${invitation.token}`,
        payload: { score: scores[i] },
      });
      expect(res.statusCode).toBe(200);
    }
    // Edits: 10 → 2 (promoter to detractor), 6 → 6 with a comment (no count moves), 0 → 9.
    for (const [i, score, comment] of [
      [0, 2, 'Toch niet'],
      [5, 6, 'Zelfde cijfer'],
      [7, 9, 'Opgelost'],
    ] as const) {
      t.clock.now += 60_000;
      const invitation = invitations[i];
      if (!invitation) throw new Error('missing invitation');
      const res = await t.app.inject({
        method: 'POST',
        url: `/r/${invitation.token}`,
        payload: { score, comment },
      });
      expect(res.statusCode).toBe(200);
    }
    // The anonymous link, and the same browser changing its mind.
    const first = await t.app.inject({
      method: 'POST',
      url: `/s/${survey.anonymous_token}`,
      headers: FORM,
      payload: 'score=4',
    });
    expect(first.statusCode).toBe(303);
    const device = first.cookies.find((c) => c.name === 'loyaal_device');
    await t.app.inject({
      method: 'POST',
      url: `/s/${survey.anonymous_token}`,
      headers: { ...FORM, cookie: `loyaal_device=${device?.value ?? ''}` },
      payload: 'score=10',
    });

    const live = await compare();
    expect(live.daily.answers.length).toBeGreaterThan(4);
    expect(live.daily.rollup).toEqual(live.daily.answers);
    expect(live.employee.rollup).toEqual(live.employee.answers);

    // Rebuilt from scratch: the same counts, and no zero rows left by the edits.
    await t.db.kysely.deleteFrom('rollup_nps_daily').execute();
    await t.db.kysely.deleteFrom('rollup_nps_employee_daily').execute();
    const rebuilt = await rebuildRollups(t.db, orgId);
    expect(rebuilt.organisations).toBe(1);
    const after = await compare();
    expect(after.daily.rollup).toEqual(live.daily.answers);
    expect(after.employee.rollup).toEqual(live.employee.answers);

    // The summary read from the rollups counts the final answers: 2 (was 10), 9, 9, 8, 7, 6, 3,
    // 9 (was 0), 10, 5, 9, 2 and the anonymous 10 (was 4).
    const summary = await owner.request({ method: 'GET', url: '/api/v1/results/summary' });
    expect(summary.statusCode).toBe(200);
    const body = summary.json<{ total: number; distribution: number[] }>();
    expect(body.total).toBe(13);
    expect(body.distribution).toEqual([0, 0, 2, 1, 0, 1, 1, 1, 1, 4, 2]);
    const perOwner = await owner.request({
      method: 'GET',
      url: `/api/v1/results/summary?ownerEmployeeId=${sanne.id}`,
    });
    // Sanne owns answers 0, 3, 6, 9: 2 (edited), 8, 3, 5.
    expect(perOwner.json<{ distribution: number[] }>().distribution).toEqual([
      0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0,
    ]);
  });
});
