import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { SCORE_COLUMNS } from '../../src/db/schema.ts';
import * as m0036 from '../../src/db/migrations/0036-location-rollup.ts';
import { scoreCountsGrouped } from '../../src/modules/analytics/analytics.repository.ts';
import { startOfLocalDay } from '../../src/modules/analytics/calendar.ts';
import { rebuildRollups } from '../../src/modules/analytics/rollups.service.ts';
import { countScoresPerGroup } from '../../src/modules/analytics/score-source.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const DAY = 86_400_000;

/**
 * The location rollup (issue 10, migration 0036) equals a recomputation from the answers: after
 * answers through the personal link (each keeping its contact's location), after edits that move
 * a score, after a rebuild from scratch and after the migration's own backfill — and the
 * breakdown by location read from it equals the same grouping over the answers, "no location"
 * included. On both databases.
 */
describeEachDialect('the location rollup', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  const locations: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage met vestigingen');
    orgId = owner.organisationId;
    for (const name of ['Leeuwarden', 'Sneek']) {
      const res = await owner.request({
        method: 'POST',
        url: '/api/v1/locations',
        payload: { name },
      });
      expect(res.statusCode, res.body).toBe(201);
      locations.push(res.json<{ id: string }>().id);
    }
    const survey = await buildSurvey(t.db.kysely, orgId);
    const scores = [10, 9, 3, 8, 0, 6, 9, 10, 2, 7, 9, 5];
    const invitations = [];
    for (let i = 0; i < scores.length; i++) {
      const contact = await buildContact(t.db.kysely, orgId, {
        location_id: i % 3 === 2 ? null : (locations[i % 3] ?? null),
      });
      invitations.push(
        await buildInvitation(t.db.kysely, {
          organisationId: orgId,
          surveyId: survey.id,
          contactId: contact.id,
        }),
      );
    }
    // Over four local days, one pair across midnight in Amsterdam (23:30 and 00:30).
    for (let i = 0; i < scores.length; i++) {
      t.clock.now = Date.UTC(2026, 10, 1, 22, 30) + Math.floor(i / 3) * DAY + (i % 2) * 3600_000;
      const res = await t.app.inject({
        method: 'POST',
        url: `/r/${invitations[i]?.token ?? ''}`,
        payload: { score: scores[i] },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    // Edits: 10 → 1 at Leeuwarden, 0 → 9 at Sneek, 6 → 6 with a comment (nothing moves).
    for (const [i, score, comment] of [
      [0, 1, 'Toch niet'],
      [4, 9, 'Opgelost'],
      [5, 6, 'Zelfde cijfer'],
    ] as const) {
      t.clock.now += 60_000;
      const res = await t.app.inject({
        method: 'POST',
        url: `/r/${invitations[i]?.token ?? ''}`,
        payload: { score, comment },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  }, 120_000);
  afterAll(async () => t.close());

  const sorted = (m: Map<string, number[]>) =>
    [...m.entries()].sort(([a], [b]) => a.localeCompare(b));

  /** Per local day and location: the rollup (summed over shards) and the answers recounted. */
  async function compare() {
    const answers = await t.db.kysely
      .selectFrom('responses')
      .select(['answered_at', 'location_id', 'score'])
      .where('organisation_id', '=', orgId)
      .execute();
    const recount = new Map<string, number[]>();
    for (const r of answers) {
      if (!r.location_id) continue;
      const key = `${startOfLocalDay(Number(r.answered_at))}|${r.location_id}`;
      const h = recount.get(key) ?? new Array<number>(11).fill(0);
      h[Number(r.score)] = (h[Number(r.score)] ?? 0) + 1;
      recount.set(key, h);
    }
    const rows = await t.db.kysely
      .selectFrom('rollup_nps_location_daily')
      .selectAll()
      .where('organisation_id', '=', orgId)
      .execute();
    const rolled = new Map<string, number[]>();
    for (const r of rows) {
      const key = `${Number(r.day)}|${r.location_id}`;
      const h = rolled.get(key) ?? new Array<number>(11).fill(0);
      SCORE_COLUMNS.forEach((s, i) => (h[i] = (h[i] ?? 0) + Number(r[s])));
      rolled.set(key, h);
    }
    const nonZero = new Map([...rolled].filter(([, h]) => h.some((n) => n !== 0)));
    return { answers: sorted(recount), rollup: sorted(nonZero), rows };
  }

  it('holds what the answers say, after answers and edits', async () => {
    const { answers, rollup } = await compare();
    expect(answers.length).toBeGreaterThanOrEqual(4);
    expect(rollup).toEqual(answers);
  });

  it('is the same after a rebuild from scratch, and after the migration’s own backfill', async () => {
    const live = await compare();
    await t.db.kysely.deleteFrom('rollup_nps_location_daily').execute();
    await rebuildRollups(t.db, orgId);
    const rebuilt = await compare();
    expect(rebuilt.rollup).toEqual(live.answers);
    expect(new Set(rebuilt.rows.map((r) => Number(r.shard)))).toEqual(new Set([0]));

    const db = t.db.kysely as unknown as Kysely<unknown>;
    await m0036.down(db);
    await m0036.up(db);
    const backfilled = await compare();
    expect(backfilled.rollup).toEqual(live.answers);
  });

  it('gives the breakdown by location the same groups as the answers, "no location" included', async () => {
    const period = {
      organisationId: orgId,
      scope: { kind: 'all' as const },
      from: startOfLocalDay(Date.UTC(2026, 10, 1, 12)),
      to: startOfLocalDay(Date.UTC(2026, 10, 10, 12)),
    };
    const fromRollup = await countScoresPerGroup(t.db.kysely, period, 'location', t.clock.now);
    const fromAnswers = new Map<string, number[]>();
    for (const r of await scoreCountsGrouped(t.db.kysely, period, 'location')) {
      const h = fromAnswers.get(r.key) ?? new Array<number>(11).fill(0);
      h[Number(r.score)] = Number(r.n);
      fromAnswers.set(r.key, h);
    }
    expect(sorted(fromRollup)).toEqual(sorted(fromAnswers));
    expect([...fromRollup.keys()].sort()).toEqual(['', ...locations].sort());
    // And the API's breakdown reads them: Leeuwarden's four answers 1, 8, 9, 7 (10 edited to 1).
    const res = await owner.request({
      url: '/api/v1/results/breakdown?dimension=location&from=2026-11-01&to=2026-11-09',
    });
    expect(res.statusCode, res.body).toBe(200);
    const groups = res.json<{ groups: Array<{ key: string; n: number }> }>().groups;
    expect(groups.find((g) => g.key === locations[0])?.n).toBe(4);
  });
});
