import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { defineModule } from '../../src/platform/define-module.ts';
import type { Deps } from '../../src/platform/deps.ts';
import {
  defineJob,
  enqueueMany,
  handleJob,
  type JobOutcome,
} from '../../src/platform/jobs/define-job.ts';
import { claimBatchCompanions } from '../../src/platform/jobs/jobs.repository.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { buildPlatform } from '../../src/platform/platform.ts';
import { newId } from '../../src/shared/ids.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';
import { plansOf } from '../support/query-plans.ts';

/**
 * Jobs whose handler runs them in batches (`JobHandler.batch`, as invitations are sent): the worker
 * claims up to a batch of one organisation's due jobs of the type into one slot, and each job keeps
 * its own attempts, back-off and result.
 */
const BATCH = 4;
const batchJob = defineJob({
  type: 'test.batched',
  payload: z.object({ n: z.number(), failOnce: z.boolean().optional() }),
});

/** Every run of the handler: the organisation and the numbers of its jobs, in claim order. */
const runs: { organisationId: string | null; ns: number[]; attempts: number[] }[] = [];
let throwWholeBatch = false;

const testModule = defineModule({
  name: 'test-batches',
  jobs: [
    handleJob(batchJob, {
      async run({ n }, ctx) {
        runs.push({ organisationId: ctx.organisationId, ns: [n], attempts: [ctx.attempt] });
        return { status: 'success', detail: `alone ${n}` };
      },
      batch: {
        size: BATCH,
        async run(items) {
          const organisations = new Set(items.map((i) => i.ctx.organisationId));
          if (organisations.size !== 1) throw new Error('a batch mixed organisations');
          runs.push({
            organisationId: items[0]?.ctx.organisationId ?? null,
            ns: items.map((i) => i.payload.n),
            attempts: items.map((i) => i.ctx.attempt),
          });
          if (throwWholeBatch) throw new Error('database went away');
          return items.map(({ payload, ctx }): JobOutcome =>
            payload.failOnce && ctx.attempt === 1
              ? { ok: false, error: new Error(`mailbox of ${payload.n} busy`) }
              : { ok: true, result: { status: 'success', detail: `batched ${payload.n}` } },
          );
        },
      },
    }),
  ],
});
const platform = buildPlatform([testModule]);

describeEachDialect('jobs run in batches', (dialect) => {
  let db: Db;
  let deps: Deps;
  const clock = { now: Date.UTC(2026, 11, 2, 9) };
  beforeAll(async () => {
    db = await freshDatabase(dialect);
    deps = { db, config: loadConfig({}), now: () => clock.now, platform };
  });
  afterAll(async () => db.close());
  beforeEach(() => {
    runs.length = 0;
    throwWholeBatch = false;
    clock.now += 86_400_000;
  });

  const jobsOf = async (ns: readonly number[]) => {
    const rows = await db.kysely
      .selectFrom('jobs')
      .select(['payload', 'status', 'attempts', 'result', 'last_error', 'run_at'])
      .where('type', '=', batchJob.type)
      .execute();
    const byN = new Map(rows.map((r) => [(JSON.parse(r.payload) as { n: number }).n, r] as const));
    return ns.map((n) => byN.get(n));
  };

  it('claims one organisation’s jobs together, keeps grouped and tenantless jobs alone, and records each job’s own outcome', async () => {
    const a = `org-a-${newId()}`;
    const b = `org-b-${newId()}`;
    const base = 1000 * Math.floor(clock.now / 86_400_000);
    const n = (i: number) => base + i;
    await enqueueMany(db.kysely, batchJob, [
      // Nine of organisation A (the fourth fails its first attempt), three of B, interleaved.
      ...Array.from({ length: 9 }, (_, i) => ({
        payload: { n: n(i), ...(i === 3 ? { failOnce: true } : {}) },
        organisationId: a,
        now: clock.now,
        runAt: clock.now + i,
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        payload: { n: n(20 + i) },
        organisationId: b,
        now: clock.now,
        runAt: clock.now + i,
      })),
      // A job with a group runs on its own; so does a job of no organisation.
      { payload: { n: n(30) }, organisationId: a, now: clock.now, groupKey: `g-${newId()}` },
      { payload: { n: n(40) }, organisationId: null, now: clock.now },
    ]);
    clock.now += 100;
    const worker = startWorker(deps, { concurrency: 1 }, false);
    expect(await worker.drain()).toBe(14);

    for (const run of runs) expect(run.ns.length).toBeLessThanOrEqual(BATCH);
    const ranOf = (org: string | null) =>
      runs.filter((r) => r.organisationId === org).flatMap((r) => r.ns);
    expect(ranOf(a).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 30].map(n).sort());
    expect(ranOf(b).sort()).toEqual([20, 21, 22].map(n).sort());
    // Batches were formed: A's nine ungrouped jobs in at most three runs, B's three in one.
    expect(runs.filter((r) => r.organisationId === a && !r.ns.includes(n(30))).length).toBe(3);
    expect(runs.find((r) => r.ns.includes(n(20)))?.ns.sort()).toEqual([20, 21, 22].map(n).sort());
    expect(runs.find((r) => r.ns.includes(n(30)))?.ns).toEqual([n(30)]);
    expect(runs.find((r) => r.ns.includes(n(40)))?.ns).toEqual([n(40)]);

    // Each job has its own result; the one that failed waits for its own retry.
    const [first, failed, grouped] = await jobsOf([n(0), n(3), n(30)]);
    expect(first).toMatchObject({ status: 'done', attempts: 1 });
    expect(JSON.parse(first?.result ?? '{}')).toEqual({
      status: 'success',
      detail: `batched ${n(0)}`,
    });
    expect(JSON.parse(grouped?.result ?? '{}')).toEqual({
      status: 'success',
      detail: `alone ${n(30)}`,
    });
    expect(failed).toMatchObject({
      status: 'queued',
      attempts: 1,
      last_error: `mailbox of ${n(3)} busy`,
    });
    expect(failed?.run_at).toBe(clock.now + 10_000);

    clock.now += 10_000;
    runs.length = 0;
    expect(await worker.drain()).toBe(1);
    expect(runs).toEqual([{ organisationId: a, ns: [n(3)], attempts: [2] }]);
    expect((await jobsOf([n(3)]))[0]).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('fails every job of a batch that throws, each on its own back-off', async () => {
    const a = `org-c-${newId()}`;
    const base = 1000 * Math.floor(clock.now / 86_400_000) + 500;
    const ns = [0, 1, 2].map((i) => base + i);
    await enqueueMany(
      db.kysely,
      batchJob,
      ns.map((n) => ({ payload: { n }, organisationId: a, now: clock.now })),
    );
    throwWholeBatch = true;
    const worker = startWorker(deps, { concurrency: 1 }, false);
    expect(await worker.drain()).toBe(3);
    expect(runs).toHaveLength(1);
    for (const job of await jobsOf(ns)) {
      expect(job).toMatchObject({
        status: 'queued',
        attempts: 1,
        last_error: 'database went away',
        run_at: clock.now + 10_000,
      });
    }
    throwWholeBatch = false;
    clock.now += 10_000;
    expect(await worker.drain()).toBe(3);
    for (const job of await jobsOf(ns)) expect(job).toMatchObject({ status: 'done', attempts: 2 });
  });
});

describe('SQLite: the rest of a batch is one range read', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDatabase('sqlite');
  });
  afterAll(async () => db.close());

  // A send of 10,000 invitations is 200 batches: a claim that read and sorted all of the send's
  // waiting jobs for each would be quadratic. The index holds the due moment after the status, so
  // the read is in the order asked for and stops at the batch's size.
  it("claims a batch's companions by organisation, type, status and due moment, in index order", async () => {
    const plans = await plansOf(db, (x) =>
      claimBatchCompanions(
        { ...db, kysely: x },
        'worker',
        { type: batchJob.type, organisation_id: newId() },
        BATCH - 1,
        Date.now(),
        60_000,
      ),
    );
    const steps = plans.flatMap((p) => p.steps);
    expect(steps).toContainEqual(
      expect.stringMatching(
        /^SEARCH jobs USING INDEX jobs_org_type_queued_run \(organisation_id=\? AND type=\? AND status=\? AND run_at<\?\)$/,
      ),
    );
    expect(steps.filter((s) => s.startsWith('SCAN jobs'))).toEqual([]);
  });
});
