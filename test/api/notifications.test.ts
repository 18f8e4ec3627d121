import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueue } from '../../src/platform/jobs/define-job.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { notificationsSweepJob } from '../../src/modules/notifications/notifications.jobs.ts';
import { notificationsHolder } from '../../src/modules/notifications/notifications.personal-data.ts';
import {
  evaluateOrganisation,
  monthPeriod,
  settledMonth,
} from '../../src/modules/notifications/notifications.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildEmployee, buildResponse, buildSurvey } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

const DAY = 86_400_000;

interface Note {
  id: string;
  kind: 'celebrate' | 'attention';
  subject: { kind: 'employee' | 'team'; id: string | null; name: string | null };
  period: string;
  current: { from: string; to: string };
  previous: { from: string; to: string };
  before: { nps: number; answers: number };
  after: { nps: number; answers: number };
  probabilityOfRise: number;
  readAt: string | null;
}
interface Feed {
  items: Note[];
  nextCursor: string | null;
}

/**
 * Celebrate and attention notes (issue 10): the monthly job judges every account manager and team
 * with the celebrate rule and writes a note for a real rise or drop only — once per subject per
 * month however often it runs; the feed follows the reader's role (an account manager their own
 * notes, a team manager the team's), read state is per reader, and old notes leave with the
 * retention period. The harness clock is 1 November 2026, so the settled month is September.
 */
describeEachDialect(
  'notifications: celebrate and attention, once a month, never noise',
  (dialect) => {
    let t: TestApp;
    let owner: Client;
    let orgId: string;
    const people: Record<string, string> = {};
    const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();
    const feed = async (c: Client, query = '') => {
      const res = await c.request({ url: `/api/v1/notifications${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Feed>();
    };

    beforeAll(async () => {
      t = await startTestApp(dialect);
      owner = await buildOrganisation(t, 'Installateur Signalen');
      orgId = owner.organisationId;
      const survey = await buildSurvey(t.db.kysely, orgId);
      const ref = { organisationId: orgId, surveyId: survey.id };
      // name, team, August (promoters, passives, detractors), September
      type Mix = [number, number, number];
      const plan: Array<[string, string, Mix, Mix]> = [
        ['Sanne de Boer', 'Noord', [15, 10, 15], [34, 4, 2]], // a real rise: 0 → +80
        ['Pieter Bakker', 'Noord', [30, 6, 4], [8, 10, 22]], // a real drop: +65 → −35
        ['Kim Visser', 'Zuid', [20, 10, 10], [21, 9, 10]], // unchanged
        ['Ank de Wit', 'Zuid', [18, 12, 10], [17, 12, 11]], // unchanged
        ['Kees Jansen', 'Zuid', [0, 0, 5], [5, 0, 0]], // a jump on five answers: too few
      ];
      for (const [name, team, august, september] of plan) {
        const e = await buildEmployee(t.db.kysely, orgId, { name, team });
        people[name] = e.id;
        for (const [month, mix] of [
          [7, august],
          [8, september],
        ] as const) {
          const scores = [
            ...new Array<number>(mix[0]).fill(9),
            ...new Array<number>(mix[1]).fill(7),
            ...new Array<number>(mix[2]).fill(4),
          ];
          let day = 0;
          for (const score of scores) {
            await buildResponse(t.db.kysely, ref, {
              score,
              owner_employee_id: e.id,
              answered_at: Date.UTC(2026, month, 2 + (day++ % 25), 10),
            });
          }
        }
      }
      // The daily sweep as the worker's schedule enqueues it, then the per-organisation jobs.
      await enqueue(
        t.db.kysely,
        notificationsSweepJob,
        {},
        { organisationId: null, now: t.clock.now },
      );
      await drain();
    }, 120_000);
    afterAll(async () => t.close());

    it('judges the latest settled month: September, a week after October ended it is October', () => {
      expect(settledMonth(t.clock.now).label).toBe('2026-09');
      expect(settledMonth(Date.UTC(2026, 10, 7, 22, 59)).label).toBe('2026-09');
      expect(settledMonth(Date.UTC(2026, 10, 7, 23, 1)).label).toBe('2026-10');
      expect(settledMonth(Date.UTC(2027, 0, 20)).label).toBe('2026-12');
      const september = monthPeriod('2026-09');
      // Local midnights in Amsterdam (summer time: UTC+2).
      expect(new Date(september.from).toISOString()).toBe('2026-08-31T22:00:00.000Z');
      expect(new Date(september.to).toISOString()).toBe('2026-09-30T22:00:00.000Z');
      expect(new Date(september.previousFrom).toISOString()).toBe('2026-07-31T22:00:00.000Z');
    });

    it('celebrates the real rise and flags the real drop, and says nothing about the rest', async () => {
      const { items } = await feed(owner);
      const notes = items.map((n) => [n.kind, n.subject.kind, n.subject.name, n.period]).sort();
      expect(notes).toEqual([
        ['attention', 'employee', 'Pieter Bakker', '2026-09'],
        ['celebrate', 'employee', 'Sanne de Boer', '2026-09'],
      ]);
      const sanne = items.find((n) => n.kind === 'celebrate');
      expect(sanne?.subject.id).toBe(people['Sanne de Boer']);
      expect(sanne?.before.answers).toBe(40);
      expect(sanne?.after.answers).toBe(40);
      // Shrunk toward the organisation: less extreme than the raw 0 → +80, still a clear rise.
      expect(sanne?.before.nps).toBeGreaterThan(0);
      expect(sanne?.after.nps).toBeLessThan(80);
      expect(sanne?.after.nps).toBeGreaterThan((sanne?.before.nps ?? 0) + 30);
      expect(sanne?.probabilityOfRise).toBeGreaterThanOrEqual(0.975);
      expect(sanne?.current).toEqual({
        from: '2026-08-31T22:00:00.000Z',
        to: '2026-09-30T22:00:00.000Z',
      });
      const pieter = items.find((n) => n.kind === 'attention');
      expect(pieter?.probabilityOfRise).toBeLessThanOrEqual(0.025);
      expect(pieter?.readAt).toBeNull();
    });

    it('writes a note once per subject and month, however often it runs', async () => {
      const count = async () =>
        Number(
          (
            await t.db.kysely
              .selectFrom('notifications')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('organisation_id', '=', orgId)
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count()).toBe(2);
      const again = await evaluateOrganisation(
        t.db.kysely,
        orgId,
        monthPeriod('2026-09'),
        t.clock.now + DAY,
      );
      expect(again).toEqual({ judged: 7, created: 0 });
      await enqueue(
        t.db.kysely,
        notificationsSweepJob,
        {},
        { organisationId: null, now: t.clock.now, dedupeKey: `again-${dialect}` },
      );
      await drain();
      expect(await count()).toBe(2);
    });

    it('shows an account manager their own notes only, and a team manager their team', async () => {
      const sanne = await buildMember(t, orgId, 'account_manager', people['Sanne de Boer'] ?? null);
      expect((await feed(sanne)).items.map((n) => n.subject.name)).toEqual(['Sanne de Boer']);
      const kim = await buildMember(t, orgId, 'account_manager', people['Kim Visser'] ?? null);
      expect((await feed(kim)).items).toEqual([]);
      const nobody = await buildMember(t, orgId, 'account_manager', null);
      expect((await feed(nobody)).items).toEqual([]);
      // A manager whose employee record is in Zuid sees nothing of Noord; one in Noord sees both.
      const zuid = await buildMember(t, orgId, 'manager', people['Ank de Wit'] ?? null);
      expect((await feed(zuid)).items).toEqual([]);
      const noord = await buildMember(t, orgId, 'manager', people['Pieter Bakker'] ?? null);
      expect((await feed(noord)).items.map((n) => n.subject.name).sort()).toEqual([
        'Pieter Bakker',
        'Sanne de Boer',
      ]);
      // Not even by id: another person's note is not found.
      const pieterNote = (await feed(owner)).items.find((n) => n.kind === 'attention');
      const res = await sanne.request({
        method: 'POST',
        url: `/api/v1/notifications/${pieterNote?.id}/read`,
      });
      expect(res.statusCode).toBe(404);
    });

    it('keeps read state per reader', async () => {
      const sanneMember = await buildMember(
        t,
        orgId,
        'account_manager',
        people['Sanne de Boer'] ?? null,
      );
      const note = (await feed(sanneMember)).items[0];
      const res = await sanneMember.request({
        method: 'POST',
        url: `/api/v1/notifications/${note?.id}/read`,
      });
      expect(res.statusCode, res.body).toBe(200);
      const read = res.json<Note>();
      expect(read.readAt).toBe(new Date(t.clock.now).toISOString());
      // Reading it again keeps the first time.
      const again = await sanneMember.request({
        method: 'POST',
        url: `/api/v1/notifications/${note?.id}/read`,
      });
      expect(again.json<Note>().readAt).toBe(read.readAt);
      expect((await feed(sanneMember, '?status=unread')).items).toEqual([]);
      // The owner has not read it.
      const owners = await feed(owner, '?status=unread');
      expect(owners.items.map((n) => n.id)).toContain(note?.id);
      const unknown = await owner.request({
        method: 'POST',
        url: '/api/v1/notifications/01900000-0000-7000-8000-000000000000/read',
      });
      expect(unknown.statusCode).toBe(404);
    });

    it('pages newest first with a cursor', async () => {
      const first = await feed(owner, '?limit=1');
      expect(first.items).toHaveLength(1);
      expect(first.nextCursor).not.toBeNull();
      const second = await feed(owner, `?limit=1&cursor=${first.nextCursor}`);
      expect(second.items).toHaveLength(1);
      expect(second.nextCursor).toBeNull();
      expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
      const bad = await owner.request({ url: '/api/v1/notifications?status=gelezen' });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('status');
    });

    it('stays silent where NPS per employee is switched off', async () => {
      const other = await buildOrganisation(t, 'Garage Zonder Ranglijst');
      await t.db.kysely
        .updateTable('organisations')
        .set({ settings: JSON.stringify({ employeeNpsEnabled: false }) })
        .where('id', '=', other.organisationId)
        .execute();
      expect(
        await evaluateOrganisation(t.db.kysely, other.organisationId, monthPeriod('2026-09'), 0),
      ).toBeNull();
      const res = await other.request({ url: '/api/v1/notifications' });
      expect(res.statusCode).toBe(403);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('employee_nps_disabled');
    });

    it('deletes notes older than the retention period, with who read them', async () => {
      const other = await buildOrganisation(t, 'Garage Bewaartermijn');
      const e = await buildEmployee(t.db.kysely, other.organisationId, { name: 'Oud Nieuws' });
      const row = (id: string, createdAt: number, period: string) => ({
        id,
        organisation_id: other.organisationId,
        kind: 'celebrate' as const,
        subject_kind: 'employee' as const,
        subject_key: e.id,
        period,
        period_from: 0,
        period_to: 1,
        previous_from: -1,
        answers_before: 20,
        answers_after: 20,
        nps_before: 0,
        nps_after: 50,
        probability_of_rise: 0.999,
        created_at: createdAt,
      });
      const oldId = '01900000-0000-7000-8000-00000000a001';
      const newId = '01900000-0000-7000-8000-00000000a002';
      await t.db.kysely
        .insertInto('notifications')
        .values([
          row(oldId, t.clock.now - 400 * DAY, '2025-09'),
          row(newId, t.clock.now, '2026-09'),
        ])
        .execute();
      await t.db.kysely
        .insertInto('notification_reads')
        .values({
          organisation_id: other.organisationId,
          notification_id: oldId,
          reader_id: 'someone',
          read_at: t.clock.now - 399 * DAY,
        })
        .execute();
      const counts = await notificationsHolder.retain?.(t.db.kysely, other.organisationId, {
        now: t.clock.now,
        cutoff: t.clock.now - 365 * DAY,
        limit: 100,
      });
      expect(counts).toEqual({ deletedNotifications: 1 });
      const left = await t.db.kysely
        .selectFrom('notifications')
        .select('id')
        .where('organisation_id', '=', other.organisationId)
        .execute();
      expect(left.map((r) => r.id)).toEqual([newId]);
      const reads = await t.db.kysely
        .selectFrom('notification_reads')
        .select('reader_id')
        .where('organisation_id', '=', other.organisationId)
        .execute();
      expect(reads).toEqual([]);
      // A customer's export holds nothing from notes, which name no customer.
      expect(await notificationsHolder.export(t.db.kysely, other.organisationId, 'x')).toEqual([]);
    });
  },
);
