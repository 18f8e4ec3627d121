import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { SCORE_COLUMNS } from '../../src/db/schema.ts';
import { rebuildRollups } from '../../src/modules/analytics/rollups.service.ts';
import { funnelCounts } from '../../src/modules/analytics/analytics.repository.ts';
import { writeSubmissions } from '../../src/modules/responses/response-writer.ts';
import {
  localMidnight,
  startOfLocalDay,
  startOfLocalWeek,
} from '../../src/modules/analytics/calendar.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildContact,
  buildEmployee,
  buildInvitation,
  buildSurvey,
  scoreAnswer,
} from '../support/factories.ts';
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
  async function compare(org: string = orgId) {
    const fromAnswers = await sql<Record<string, unknown>>`
      select survey_id, channel, coalesce(segment, '') as segment, answered_at, score
      from responses where organisation_id = ${org}`.execute(t.db.kysely);
    const daily = new Map<string, number[]>();
    const employee = new Map<string, number[]>();
    const weekly = new Map<string, number[]>();
    const ownerOf = await sql<{
      answered_at: number;
      owner_employee_id: string | null;
      score: number;
    }>`
      select answered_at, owner_employee_id, score from responses where organisation_id = ${org}`.execute(
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
      const weekKey = [startOfLocalWeek(Number(r.answered_at)), r.owner_employee_id].join('|');
      const w = weekly.get(weekKey) ?? new Array<number>(11).fill(0);
      w[Number(r.score)] = (w[Number(r.score)] ?? 0) + 1;
      weekly.set(weekKey, w);
    }
    const dailyRows = await t.db.kysely
      .selectFrom('rollup_nps_daily')
      .selectAll()
      .where('organisation_id', '=', org)
      .execute();
    const employeeRows = await t.db.kysely
      .selectFrom('rollup_nps_employee_daily')
      .selectAll()
      .where('organisation_id', '=', org)
      .execute();
    const weeklyRows = await t.db.kysely
      .selectFrom('rollup_nps_employee_weekly')
      .selectAll()
      .where('organisation_id', '=', org)
      .execute();
    const nonZero = (h: number[]) => h.some((n) => n !== 0);
    // A key's counts are the sum over its shards (migration 0024).
    const summed = (rows: Array<{ key: string; counts: number[] }>) => {
      const out = new Map<string, number[]>();
      for (const { key, counts } of rows) {
        const h = out.get(key) ?? new Array<number>(11).fill(0);
        counts.forEach((n, i) => (h[i] = (h[i] ?? 0) + n));
        out.set(key, h);
      }
      return new Map([...out].filter(([, h]) => nonZero(h)));
    };
    const rolledDaily = summed(
      dailyRows.map((r) => ({
        key: [Number(r.day), r.survey_id, r.channel, r.segment].join('|'),
        counts: SCORE_COLUMNS.map((s) => Number(r[s])),
      })),
    );
    const rolledEmployee = summed(
      employeeRows.map((r) => ({
        key: [Number(r.day), r.employee_id].join('|'),
        counts: SCORE_COLUMNS.map((s) => Number(r[s])),
      })),
    );
    const rolledWeekly = summed(
      weeklyRows.map((r) => ({
        key: [Number(r.week), r.employee_id].join('|'),
        counts: SCORE_COLUMNS.map((s) => Number(r[s])),
      })),
    );
    const sorted = (m: Map<string, number[]>) =>
      [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
    return {
      daily: { answers: sorted(daily), rollup: sorted(rolledDaily) },
      employee: { answers: sorted(employee), rollup: sorted(rolledEmployee) },
      weekly: { answers: sorted(weekly), rollup: sorted(rolledWeekly) },
      rows: dailyRows.length + employeeRows.length + weeklyRows.length,
      shards: new Set([...dailyRows, ...employeeRows, ...weeklyRows].map((r) => Number(r.shard))),
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
    // The answers run from Sunday 1 November 23:30 into the next week: two weeks of Sanne's.
    expect(new Set(live.weekly.answers.map(([key]) => key.split('|')[0])).size).toBe(2);
    expect(live.weekly.rollup).toEqual(live.weekly.answers);

    // Rebuilt from scratch: the same counts, and no zero rows left by the edits.
    await t.db.kysely.deleteFrom('rollup_nps_daily').execute();
    await t.db.kysely.deleteFrom('rollup_nps_employee_daily').execute();
    await t.db.kysely.deleteFrom('rollup_nps_employee_weekly').execute();
    const rebuilt = await rebuildRollups(t.db, orgId);
    expect(rebuilt.organisations).toBe(1);
    const after = await compare();
    expect([...after.shards]).toEqual([0]);
    expect(after.daily.rollup).toEqual(live.daily.answers);
    expect(after.employee.rollup).toEqual(live.employee.answers);
    expect(after.weekly.rollup).toEqual(live.weekly.answers);

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

  it('answers in concurrent transactions still sum right (SQLite: in shard 0)', async () => {
    // An organisation of its own: the other test's totals stay its own.
    const other = await buildOrganisation(t);
    const org = other.organisationId;
    const survey = await buildSurvey(t.db.kysely, org);
    const anna = await buildEmployee(t.db.kysely, org, { name: 'Anna Visser', team: 'Oost' });
    const invitations: Array<{ token: string }> = [];
    for (let i = 0; i < 32; i++) {
      const contact = await buildContact(t.db.kysely, org, {
        owner_employee_id: i % 2 === 0 ? anna.id : null,
        segment: i % 4 < 2 ? 'Particulier' : 'Zakelijk',
      });
      invitations.push(
        await buildInvitation(t.db.kysely, {
          organisationId: org,
          surveyId: survey.id,
          contactId: contact.id,
        }),
      );
    }
    const post = async (i: number, score: number) => {
      const invitation = invitations[i];
      if (!invitation) throw new Error('missing invitation');
      const res = await t.app.inject({
        method: 'POST',
        url: `/r/${invitation.token}`,
        payload: { score },
      });
      expect(res.statusCode).toBe(200);
    };
    // Four rounds of eight answers sent at once (one or more transactions per round), then a round
    // of concurrent edits that move counts out of the shards their answers went to.
    const expected = new Array<number>(11).fill(0);
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        Array.from({ length: 8 }, (_, k) => {
          const i = round * 8 + k;
          return post(i, i % 11);
        }),
      );
    }
    await Promise.all([0, 9, 18, 27].map((i) => post(i, 10 - (i % 11))));
    for (let i = 0; i < 32; i++) {
      const score = [0, 9, 18, 27].includes(i) ? 10 - (i % 11) : i % 11;
      expected[score] = (expected[score] ?? 0) + 1;
    }

    const live = await compare(org);
    // SQLite has one writer: no shard but 0. PostgreSQL's claims: the next test.
    if (dialect === 'sqlite') expect([...live.shards]).toEqual([0]);
    expect(live.daily.rollup).toEqual(live.daily.answers);
    expect(live.employee.rollup).toEqual(live.employee.answers);
    expect(live.weekly.rollup).toEqual(live.weekly.answers);
    expect(live.daily.answers.length).toBeGreaterThan(0);
    const summary = await other.request({ method: 'GET', url: '/api/v1/results/summary' });
    expect(summary.statusCode).toBe(200);
    const body = summary.json<{ total: number; distribution: number[] }>();
    expect(body.total).toBe(32);
    expect(body.distribution).toEqual(expected);

    // A rebuild folds the shards back into shard 0 with the same sums.
    await rebuildRollups(t.db, org);
    const rebuilt = await compare(org);
    expect([...rebuilt.shards]).toEqual([0]);
    expect(rebuilt.daily.rollup).toEqual(live.daily.answers);
    expect(rebuilt.employee.rollup).toEqual(live.employee.answers);
    expect(rebuilt.weekly.rollup).toEqual(live.weekly.answers);
  });

  it.runIf(dialect === 'postgres')(
    'an open answer transaction holds back no later answer of its keys: each claims a shard of its own',
    async () => {
      const other = await buildOrganisation(t);
      const org = other.organisationId;
      const survey = await buildSurvey(t.db.kysely, org);
      const anna = await buildEmployee(t.db.kysely, org, { name: 'Anna Visser', team: 'Oost' });
      const invitations: Array<{ token: string }> = [];
      for (let i = 0; i < 9; i++) {
        const contact = await buildContact(t.db.kysely, org, { owner_employee_id: anna.id });
        invitations.push(
          await buildInvitation(t.db.kysely, {
            organisationId: org,
            surveyId: survey.id,
            contactId: contact.id,
          }),
        );
      }
      const tokenOf = (i: number) => invitations[i]?.token ?? '';
      // The shards the answers' counts went to (the invitations' own rows in the funnel, written
      // when they were made, count no answer).
      const shardsNow = async () => {
        const rows = await sql<{ shard: number }>`
          select shard from rollup_nps_daily where organisation_id = ${org}
          union select shard from rollup_nps_employee_daily where organisation_id = ${org}
          union select shard from rollup_invitation_funnel
            where organisation_id = ${org} and answered <> 0`.execute(t.db.kysely);
        return new Set(rows.rows.map((r) => Number(r.shard)));
      };

      // A transaction stores the first answer — its rollup rows and its funnel row, in the shard
      // it claimed — and stays open.
      let started!: () => void;
      const holding = new Promise<void>((resolve) => (started = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const undo = new Error('rolled back on purpose');
      let claimed = -1;
      let holderPid = -1;
      const holder = t.db.kysely
        .transaction()
        .execute(async (trx) => {
          const [outcome] = await writeSubmissions(trx, t.deps, [
            { token: tokenOf(0), mode: 'score', answer: scoreAnswer(9), now: t.clock.now },
          ]);
          expect(outcome?.status).toBe('saved');
          const again = async () =>
            Number(
              (await sql<{ s: number }>`select loyaal_rollup_shard() as s`.execute(trx)).rows[0]?.s,
            );
          claimed = await again();
          holderPid = Number(
            (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]?.pid,
          );
          // Kept for the whole transaction: asked again, the same shard.
          expect(await again()).toBe(claimed);
          started();
          await released;
          throw undo;
        })
        .catch((error: unknown) => {
          if (error !== undo) throw error;
        });
      await holding;
      expect(claimed).toBeGreaterThanOrEqual(0);

      try {
        // Eight answers of the same keys, one after another, each in its own transaction. A blind
        // choice of shard (round robin over eight, or the transaction id modulo eight) sends one
        // of them into the held shard, where it waits for the holder's end: this loop would hang.
        for (let i = 1; i <= 8; i++) {
          const res = await t.app.inject({
            method: 'POST',
            url: `/r/${tokenOf(i)}`,
            payload: { score: i },
          });
          expect(res.statusCode, `answer ${i}`).toBe(200);
        }
        const during = await shardsNow();
        expect(during.size).toBeGreaterThan(0);
        expect(during.has(claimed)).toBe(false);
      } finally {
        release();
        await holder;
      }
      // The holder's claim ended with it (its session holds no claim any more; other test files'
      // transactions, in other schemas of this database, may hold that shard by now).
      const kept = await sql<{ n: number }>`
        select count(*)::int as n from pg_locks
        where locktype = 'advisory' and classid = 4242003 and objsubid = 2 and pid = ${holderPid}`.execute(
        t.db.kysely,
      );
      expect(holderPid).toBeGreaterThan(0);
      expect(kept.rows[0]?.n).toBe(0);
      // Its answer left with it; the eight others are counted once, in every rollup.
      const after = await compare(org);
      expect(after.daily.rollup).toEqual(after.daily.answers);
      expect(after.employee.rollup).toEqual(after.employee.answers);
      expect(after.weekly.rollup).toEqual(after.weekly.answers);
      expect(after.daily.answers.flatMap(([, h]) => h).reduce((a, b) => a + b, 0)).toBe(8);
      const funnel = await compareFunnel(org);
      expect(funnel.rollup).toEqual(funnel.invitations);
    },
  );

  it('give the breakdown per account manager of any period: whole weeks and the days around them', async () => {
    // The owner logs in on the day the breakdowns are read; the answers come before.
    const readOn = localMidnight(2026, 10, 5) + 9 * 3600_000;
    t.clock.now = readOn;
    const other = await buildOrganisation(t);
    const org = other.organisationId;
    const survey = await buildSurvey(t.db.kysely, org);
    const people = [
      await buildEmployee(t.db.kysely, org, { name: 'Anna Visser', team: 'Oost' }),
      await buildEmployee(t.db.kysely, org, { name: 'Bram Smit', team: 'West' }),
    ];
    // 26 answers, one every 1.3 days from Thursday 1 October 2026 (10:00 local), through the
    // change to winter time on 25 October; then three of them edited.
    const answers: Array<{ at: number; employee: string; score: number; token: string }> = [];
    for (let i = 0; i < 26; i++) {
      const employee = people[i % 2]?.id ?? '';
      const contact = await buildContact(t.db.kysely, org, { owner_employee_id: employee });
      const invitation = await buildInvitation(t.db.kysely, {
        organisationId: org,
        surveyId: survey.id,
        contactId: contact.id,
      });
      const at = localMidnight(2026, 9, 1) + 10 * 3600_000 + Math.round(i * 1.3 * DAY);
      t.clock.now = at;
      const score = (i * 7) % 11;
      const res = await t.app.inject({
        method: 'POST',
        url: `/r/${invitation.token}`,
        payload: { score },
      });
      expect(res.statusCode).toBe(200);
      answers.push({ at, employee, score, token: invitation.token });
    }
    for (const i of [2, 11, 20]) {
      const a = answers[i];
      if (!a) throw new Error('missing answer');
      t.clock.now = a.at + 60_000;
      a.score = 10 - a.score;
      const res = await t.app.inject({
        method: 'POST',
        url: `/r/${a.token}`,
        payload: { score: a.score },
      });
      expect(res.statusCode).toBe(200);
    }
    const live = await compare(org);
    expect(live.weekly.rollup).toEqual(live.weekly.answers);
    t.clock.now = readOn;

    // Periods as the screens send them (whole local days, `to` inclusive): Wednesday to Tuesday
    // over three weeks, Monday to Sunday, within one week, and from the first day.
    const periods: Array<[string, string]> = [
      ['2026-10-07', '2026-10-27'],
      ['2026-10-05', '2026-10-25'],
      ['2026-10-13', '2026-10-16'],
      ['2026-10-01', '2026-11-15'],
      ['2026-09-28', '2026-10-03'],
    ];
    for (const [from, to] of periods) {
      const [fy, fm, fd] = from.split('-').map(Number);
      const [ty, tm, td] = to.split('-').map(Number);
      const start = localMidnight(fy ?? 0, (fm ?? 1) - 1, fd ?? 1);
      const end = localMidnight(ty ?? 0, (tm ?? 1) - 1, (td ?? 1) + 1);
      const res = await other.request({
        method: 'GET',
        url: `/api/v1/results/breakdown?dimension=employee&from=${from}&to=${to}`,
      });
      expect(res.statusCode, from).toBe(200);
      const groups = res.json<{ groups: Array<{ key: string; n: number; nps: number }> }>().groups;
      const expected = people
        .map((p) => {
          const mine = answers.filter((a) => a.employee === p.id && a.at >= start && a.at < end);
          const promoters = mine.filter((a) => a.score >= 9).length;
          const detractors = mine.filter((a) => a.score <= 6).length;
          return {
            key: p.id,
            n: mine.length,
            nps: mine.length === 0 ? null : (100 * (promoters - detractors)) / mine.length,
          };
        })
        .filter((g) => g.n > 0);
      expect(
        groups
          .map((g) => ({ key: g.key, n: g.n, nps: g.nps }))
          .sort((a, b) => a.key.localeCompare(b.key)),
        `${from} – ${to}`,
      ).toEqual(expected.sort((a, b) => a.key.localeCompare(b.key)));
      expect(expected.length, `${from} – ${to}`).toBeGreaterThan(0);
    }
  });

  /** The funnel rollup per hour × survey, and the invitations counted the same way. */
  async function compareFunnel(org: string) {
    const invitations = await t.db.kysely
      .selectFrom('invitations')
      .select([
        'planned_at',
        'survey_id',
        'status',
        'sent_at',
        'bounced_at',
        'clicked_at',
        'responded_at',
      ])
      .where('organisation_id', '=', org)
      .execute();
    const add = (m: Map<string, number[]>, key: string, counts: number[]) => {
      const h = m.get(key) ?? new Array<number>(7).fill(0);
      counts.forEach((n, i) => (h[i] = (h[i] ?? 0) + n));
      m.set(key, h);
    };
    const fromInvitations = new Map<string, number[]>();
    for (const i of invitations) {
      if (i.status === 'cancelled' || i.status === 'skipped') continue;
      const b = (x: boolean) => (x ? 1 : 0);
      const planned = Number(i.planned_at);
      add(fromInvitations, `${planned - (planned % 3600_000)}|${i.survey_id}`, [
        1,
        b(i.sent_at !== null),
        b(i.status === 'outbox'),
        b(i.sent_at !== null && i.bounced_at !== null),
        b(i.clicked_at !== null),
        b(i.responded_at !== null),
        b(i.responded_at !== null && i.sent_at !== null && i.bounced_at === null),
      ]);
    }
    const rows = await t.db.kysely
      .selectFrom('rollup_invitation_funnel')
      .selectAll()
      .where('organisation_id', '=', org)
      .execute();
    const rolled = new Map<string, number[]>();
    for (const r of rows) {
      add(rolled, `${Number(r.hour)}|${r.survey_id}`, [
        Number(r.invited),
        Number(r.sent),
        Number(r.outbox),
        Number(r.bounced),
        Number(r.clicked),
        Number(r.answered),
        Number(r.answered_delivered),
      ]);
    }
    const sorted = (m: Map<string, number[]>) =>
      [...m.entries()]
        .filter(([, h]) => h.some((n) => n !== 0))
        .sort(([a], [b]) => a.localeCompare(b));
    return { invitations: sorted(fromInvitations), rollup: sorted(rolled), rows };
  }

  it('keep the response funnel with every change to an invitation, and the summary reads it', async () => {
    const other = await buildOrganisation(t);
    const org = other.organisationId;
    const surveys = [await buildSurvey(t.db.kysely, org), await buildSurvey(t.db.kysely, org)];
    // Now: 14:20 local on Tuesday 10 November 2026; invitations over the last ten days and three
    // planned later this hour and this afternoon (not yet due: no step of the funnel counts them).
    const now = localMidnight(2026, 10, 10) + 14 * 3600_000 + 20 * 60_000;
    t.clock.now = now;
    const statuses = ['sent', 'sent', 'outbox', 'planned', 'skipped', 'sent', 'queued'] as const;
    const built: Array<{ id: string; token: string; planned: number }> = [];
    for (let i = 0; i < 28; i++) {
      const contact = await buildContact(t.db.kysely, org);
      const status = statuses[i % statuses.length] ?? 'sent';
      const planned =
        i < 25 ? now - Math.round((i * 9.7 + 0.4) * 3600_000) : now + (i - 24) * 1500_000;
      const invitation = await buildInvitation(
        t.db.kysely,
        { organisationId: org, surveyId: surveys[i % 2]?.id ?? '', contactId: contact.id },
        {
          status,
          planned_at: planned,
          sent_at: status === 'sent' ? planned + 60_000 : null,
          bounced_at: i % 7 === 5 ? planned + 120_000 : null,
        },
      );
      built.push({ id: invitation.id, token: invitation.token, planned });
    }
    expect((await compareFunnel(org)).rollup).toEqual((await compareFunnel(org)).invitations);

    // Clicks (opening the link) and answers (one of them edited), through the public pages.
    for (const i of [0, 1, 5, 8, 12, 15]) {
      const res = await t.app.inject({ method: 'GET', url: `/r/${built[i]?.token ?? ''}` });
      expect(res.statusCode, `open ${i}`).toBeLessThan(400);
    }
    for (const i of [0, 5, 7, 14, 21]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/r/${built[i]?.token ?? ''}`,
        payload: { score: i % 11 },
      });
      expect(res.statusCode, `answer ${i}`).toBe(200);
    }
    await t.app.inject({
      method: 'POST',
      url: `/r/${built[0]?.token ?? ''}`,
      payload: { score: 9 },
    });
    // A send cancelled in bulk, a bounce arriving, an invitation moved to another hour, one deleted.
    await t.db.kysely
      .updateTable('invitations')
      .set({ status: 'cancelled' })
      .where('organisation_id', '=', org)
      .where('status', 'in', ['planned', 'queued'])
      .execute();
    await t.db.kysely
      .updateTable('invitations')
      .set({ status: 'bounced', bounced_at: now - 60_000 })
      .where('id', '=', built[1]?.id ?? '')
      .execute();
    await t.db.kysely
      .updateTable('invitations')
      .set({ planned_at: (built[2]?.planned ?? 0) - 30 * 3600_000 })
      .where('id', '=', built[2]?.id ?? '')
      .execute();
    await t.db.kysely
      .deleteFrom('invitations')
      .where('id', '=', built[22]?.id ?? '')
      .execute();

    const live = await compareFunnel(org);
    expect(live.invitations.length).toBeGreaterThan(10);
    expect(live.rollup).toEqual(live.invitations);

    // The summary reads the rollup and the current hour from the invitations: the same funnel as
    // counting every invitation, for the default period, whole days, and one survey.
    const cases: Array<[string, Parameters<typeof funnelCounts>[1]]> = [
      ['', { organisationId: org, scope: { kind: 'all' } }],
      [
        'from=2026-11-03&to=2026-11-10',
        {
          organisationId: org,
          scope: { kind: 'all' },
          from: localMidnight(2026, 10, 3),
          to: localMidnight(2026, 10, 11),
        },
      ],
      [
        `surveyId=${surveys[1]?.id ?? ''}&from=2026-11-05&to=2026-11-08`,
        {
          organisationId: org,
          scope: { kind: 'all' },
          surveyId: surveys[1]?.id,
          from: localMidnight(2026, 10, 5),
          to: localMidnight(2026, 10, 9),
        },
      ],
    ];
    for (const [query, filter] of cases) {
      const res = await other.request({ method: 'GET', url: `/api/v1/results/summary?${query}` });
      expect(res.statusCode, query).toBe(200);
      const funnel = res.json<{ funnel: Record<string, unknown> }>().funnel;
      const counted = await funnelCounts(t.db.kysely, filter, now);
      expect(counted.invited, query).toBeGreaterThan(0);
      expect(funnel, query).toMatchObject({
        invited: counted.invited,
        sent: counted.sent,
        outbox: counted.outbox,
        bounced: counted.bounced,
        clicked: counted.clicked,
        answered: counted.answered,
      });
    }

    // Rebuilt from the invitations: the same counts, in shard 0.
    await t.db.kysely
      .deleteFrom('rollup_invitation_funnel')
      .where('organisation_id', '=', org)
      .execute();
    await rebuildRollups(t.db, org);
    const rebuilt = await compareFunnel(org);
    expect(rebuilt.rollup).toEqual(live.invitations);
    expect(new Set(rebuilt.rows.map((r) => Number(r.shard)))).toEqual(new Set([0]));
  });
});
