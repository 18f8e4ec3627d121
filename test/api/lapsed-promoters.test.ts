import { afterAll, beforeAll, expect, it } from 'vitest';
import { sweepLapsedPromoters } from '../../src/modules/loyalty/lapsed-promoters.service.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  TEST_PASSWORD,
  buildMember,
  buildOrganisation,
  login,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

const DAY = 86_400_000;

interface Task {
  id: string;
  contact: { id: string; name: string | null };
  owner: { id: string; name: string | null } | null;
  score: number | null;
  intervalDays: number;
  expectedAt: string;
  lastVisitAt: string;
  doneAt: string | null;
}

describeEachDialect('lapsed promoters: a task when a satisfied customer stays away', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  /** An organisation with customers who answered `scores` and came on the given days. */
  async function garage(
    customers: { name: string; score: number | null; visits: string[]; owner?: boolean }[],
  ) {
    t.clock.now = Date.UTC(2026, 0, 5, 9, 0);
    const owner = await buildOrganisation(t);
    const jan = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/employees',
        payload: { name: 'Jan Smit' },
      })
    ).json<{ id: string }>().id;
    const surveyId = (
      await owner.request({
        method: 'POST',
        url: '/api/v1/surveys',
        payload: { name: 'NPS', status: 'active' },
      })
    ).json<{ id: string }>().id;
    const ids: string[] = [];
    for (const [i, c] of customers.entries()) {
      const res = await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: {
          name: c.name,
          email: `klant${i}@example.nl`,
          externalId: `K-${i}`,
          ...(c.owner === false ? {} : { ownerEmployeeId: jan }),
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json<{ id: string }>().id);
      for (const [n, day] of c.visits.entries()) {
        const visit = await owner.request({
          method: 'POST',
          url: '/api/v1/visits',
          payload: {
            externalId: `V-${i}-${n}`,
            customer: { externalId: `K-${i}` },
            visitedAt: day,
            amount: 50,
          },
        });
        expect(visit.statusCode, visit.body).toBe(201);
      }
    }
    await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/sends`,
      payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
    });
    await startWorker(t.deps, { concurrency: 2 }, false).drain();
    for (const [i, c] of customers.entries()) {
      if (c.score === null) continue;
      const inv = await t.db.kysely
        .selectFrom('invitations')
        .select('token')
        .where('contact_id', '=', ids[i] ?? '')
        .executeTakeFirstOrThrow();
      const answer = await t.app.inject({
        method: 'POST',
        url: `/r/${inv.token}`,
        payload: { score: c.score },
      });
      expect(answer.statusCode).toBe(200);
    }
    return { owner, jan, ids };
  }

  const tasksOf = async (client: Client, status = 'open') =>
    (await client.request({ url: `/api/v1/loyalty/tasks?status=${status}` })).json<{
      items: Task[];
    }>().items;

  it('makes a task only for promoters past their usual interval (plus grace), one per interval', async () => {
    // Visits about every 60 days until November 2025; answered on 5 January 2026.
    const made = await garage([
      { name: 'Late Promotor', score: 9, visits: ['2025-07-01', '2025-08-30', '2025-10-29'] },
      { name: 'Late Criticaster', score: 3, visits: ['2025-07-01', '2025-08-30', '2025-10-29'] },
      { name: 'Op Tijd Promotor', score: 10, visits: ['2025-09-01', '2025-11-15', '2025-12-30'] },
      { name: 'Eenmalig Promotor', score: 10, visits: ['2025-06-01'] },
      { name: 'APK Promotor', score: 9, visits: ['2025-03-01'] },
    ]);
    const { ids } = made;
    let owner = made.owner;
    // The APK promoter's last visit was an APK: expected back a year later, not lapsed yet.
    await t.db.kysely
      .updateTable('visits')
      .set({ kind: 'APK', kind_key: 'apk' })
      .where('contact_id', '=', ids[4] ?? '')
      .execute();
    // 29 Oct + 60 days = 28 Dec; + 14 days grace = 11 Jan. On 10 January nobody is lapsed yet.
    const org = owner.organisationId;
    expect((await sweepLapsedPromoters(t.db.kysely, org, Date.UTC(2026, 0, 10, 12))).created).toBe(
      0,
    );
    const now = Date.UTC(2026, 0, 20, 12);
    expect((await sweepLapsedPromoters(t.db.kysely, org, now)).created).toBe(1);
    // Again the same day, and a week later: still one task for this interval.
    expect((await sweepLapsedPromoters(t.db.kysely, org, now)).created).toBe(0);
    expect((await sweepLapsedPromoters(t.db.kysely, org, now + 7 * DAY)).created).toBe(0);
    const tasks = await tasksOf(owner);
    expect(tasks.map((x) => x.contact.name)).toEqual(['Late Promotor']);
    expect(tasks[0]).toMatchObject({ score: 9, intervalDays: 60, owner: { name: 'Jan Smit' } });
    expect(tasks[0]?.expectedAt.slice(0, 10)).toBe('2025-12-28');

    // Done: it leaves the open list; she comes back and lapses again — a new interval, a new task.
    const done = await owner.request({
      method: 'POST',
      url: `/api/v1/loyalty/tasks/${tasks[0]?.id}/done`,
    });
    expect(done.statusCode).toBe(200);
    expect(done.json<Task>().doneAt).not.toBeNull();
    expect(await tasksOf(owner)).toEqual([]);
    t.clock.now = Date.UTC(2026, 0, 25, 9);
    owner = await login(t, owner.email, TEST_PASSWORD);
    await owner.request({
      method: 'POST',
      url: '/api/v1/visits',
      payload: {
        externalId: 'V-0-9',
        customer: { externalId: 'K-0' },
        visitedAt: '2026-01-25',
        amount: 50,
      },
    });
    expect((await sweepLapsedPromoters(t.db.kysely, org, Date.UTC(2026, 1, 1))).created).toBe(0);
    // By May she is late again (a new interval); so are the customer who was on time in January
    // and the APK customer, whose yearly APK fell due on 1 March.
    expect((await sweepLapsedPromoters(t.db.kysely, org, Date.UTC(2026, 4, 1))).created).toBe(3);
    const all = await tasksOf(owner, 'all');
    expect(all.filter((x) => x.contact.name === 'Late Promotor')).toHaveLength(2);
    expect(all.map((x) => x.contact.name).sort()).toEqual([
      'APK Promotor',
      'Late Promotor',
      'Late Promotor',
      'Op Tijd Promotor',
    ]);
  });

  it('shows an account manager only their own customers’ tasks, and erasure removes the task', async () => {
    const { owner, jan, ids } = await garage([
      { name: 'Van Jan', score: 9, visits: ['2025-01-01', '2025-03-02'] },
      { name: 'Van Niemand', score: 10, visits: ['2025-01-01', '2025-03-02'], owner: false },
    ]);
    await sweepLapsedPromoters(t.db.kysely, owner.organisationId, Date.UTC(2026, 0, 20));
    expect((await tasksOf(owner)).map((x) => x.contact.name).sort()).toEqual([
      'Van Jan',
      'Van Niemand',
    ]);
    const am = await buildMember(t, owner.organisationId, 'account_manager', jan);
    const own = await tasksOf(am);
    expect(own.map((x) => x.contact.name)).toEqual(['Van Jan']);
    const theirs = (await tasksOf(owner)).find((x) => x.contact.name === 'Van Niemand');
    const blocked = await am.request({
      method: 'POST',
      url: `/api/v1/loyalty/tasks/${theirs?.id}/done`,
    });
    expect(blocked.statusCode).toBe(404);
    const unlinked = await buildMember(t, owner.organisationId, 'account_manager', null);
    expect(await tasksOf(unlinked)).toEqual([]);

    const exported = await owner.request({ url: `/api/v1/contacts/${ids[0]}/export` });
    expect(JSON.stringify(exported.json())).toContain('lapsed_promoter');
    const erased = await owner.request({ method: 'POST', url: `/api/v1/contacts/${ids[0]}/erase` });
    expect(erased.statusCode).toBe(204);
    expect((await tasksOf(owner)).map((x) => x.contact.name)).toEqual(['Van Niemand']);
  });
});
