import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { z } from 'zod';
import { defineModule } from '../../src/platform/define-module.ts';
import type { Deps } from '../../src/platform/deps.ts';
import {
  defineJob,
  enqueue,
  enqueueMany,
  handleJob,
  type JobType,
} from '../../src/platform/jobs/define-job.ts';
import { claimJobs, countJobs } from '../../src/platform/jobs/jobs.repository.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { buildPlatform } from '../../src/platform/platform.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';

const empty = z.object({});
const recordJob = defineJob({
  type: 'test.record',
  payload: z.object({ n: z.union([z.number(), z.string()]) }),
});
const flakyJob = defineJob({ type: 'test.flaky', payload: empty });
/** Fails while the database "cannot be reached", on a long back-off of its own (as mail jobs). */
const patientJob = defineJob({
  type: 'test.patient',
  payload: empty,
  retryDelayMs: (attempt) => attempt * 3_600_000,
});
const brokenJob = defineJob({ type: 'test.broken', payload: empty, maxAttempts: 2 });
const poisonJob = defineJob({
  type: 'test.poison',
  payload: z.object({ n: z.string() }),
  maxAttempts: 1,
});
const longJob = defineJob({ type: 'test.long', payload: empty });
const hangJob = defineJob({ type: 'test.hang', payload: empty });
const nobodyJob = defineJob({ type: 'test.nobody', payload: empty });

const handled: string[] = [];
const failedForGood: string[] = [];
let failuresLeft = 0;
let unreachableLeft = 0;
/** Every run of the long job waits here until released (two runs if a second worker took it). */
const longWaiting: (() => void)[] = [];
const releaseLong = () => {
  for (const release of longWaiting.splice(0)) release();
};
let releaseHang: () => void = () => {};
let longRuns = 0;

/** A module of test jobs, plugged in the way every feature module plugs in. */
const testModule = defineModule({
  name: 'test-jobs',
  jobs: [
    handleJob(recordJob, {
      async run({ n }) {
        handled.push(String(n));
        await new Promise((r) => setTimeout(r, 1));
        return { status: 'success' };
      },
    }),
    handleJob(flakyJob, {
      async run() {
        if (failuresLeft-- > 0) throw new Error('SMTP server said 421');
        return { status: 'success', detail: 'sent after retry' };
      },
    }),
    handleJob(patientJob, {
      async run() {
        if (unreachableLeft-- > 0) {
          // What node-postgres throws when no pooled connection frees up in time.
          throw new Error('timeout exceeded when trying to connect');
        }
        if (failuresLeft-- > 0) throw new Error('SMTP server said 421');
        return { status: 'success' };
      },
    }),
    handleJob(brokenJob, {
      async run() {
        throw new Error('always broken');
      },
      async onFailed(_payload, ctx, error) {
        failedForGood.push(`${ctx.jobId}: ${error}`);
      },
    }),
    handleJob(poisonJob, {
      async run() {
        return { status: 'success' };
      },
      async onFailed({ n }, _ctx, error) {
        failedForGood.push(`${n}: ${error}`);
      },
    }),
    handleJob(hangJob, {
      async run() {
        await new Promise<void>((resolve) => {
          releaseHang = resolve;
        });
        return { status: 'success' };
      },
    }),
    handleJob(longJob, {
      async run() {
        longRuns++;
        await new Promise<void>((resolve) => longWaiting.push(resolve));
        return { status: 'success' };
      },
    }),
  ],
});
const platform = buildPlatform([testModule]);

const enqueueNow = <P>(db: Db, job: JobType<P>, payload: P, now: number) =>
  enqueue(db.kysely, job, payload, { organisationId: null, now });

const lastJobId = async (db: Db, type: string): Promise<string> =>
  (
    await db.kysely
      .selectFrom('jobs')
      .select('id')
      .where('type', '=', type)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
  ).id;

describeEachDialect('job queue and worker', (dialect) => {
  let db: Db;
  const clock = { now: Date.UTC(2026, 10, 1) };
  let deps: Deps;
  beforeAll(async () => {
    db = await freshDatabase(dialect);
    deps = { db, config: loadConfig({}), now: () => clock.now, platform };
  });
  afterAll(async () => db.close());

  it('writes a job only when the transaction that caused it commits', async () => {
    // Counted against what other tests of this file left, whatever order they ran in.
    const before = await countJobs(db.kysely, { type: 'test.record' });
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await enqueue(trx, recordJob, { n: -1 }, { organisationId: null, now: clock.now });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await countJobs(db.kysely, { type: 'test.record' })).toBe(before);
  });

  // Able to fail on both databases: on SQLite a claim that reads the due jobs and then updates
  // them in a second statement runs 310 of 300 jobs' handlers; on PostgreSQL, dropping
  // `for update skip locked` from the claim runs up to 460 (both seen in scratch runs).
  it('runs each job exactly once with several workers claiming in parallel', async () => {
    handled.length = 0;
    const doneBefore = await countJobs(db.kysely, { type: 'test.record', status: 'done' });
    await enqueueMany(
      db.kysely,
      recordJob,
      Array.from({ length: 300 }, (_, n) => ({
        payload: { n },
        organisationId: null,
        now: clock.now,
      })),
    );
    const workers = [1, 2, 3].map(() => startWorker(deps, { concurrency: 5 }, false));
    await Promise.all(workers.map((w) => w.drain()));
    expect(handled).toHaveLength(300);
    expect(new Set(handled).size).toBe(300);
    expect(await countJobs(db.kysely, { type: 'test.record', status: 'done' })).toBe(
      doneBefore + 300,
    );
  });

  it('hands a job whose worker died to another worker once the lease has run out', async () => {
    handled.length = 0;
    await enqueueNow(db, recordJob, { n: 'orphan' }, clock.now);
    const { claimed } = await claimJobs(db, 'dead-worker', 10, clock.now, 60_000);
    expect(claimed).toHaveLength(1);
    const survivor = startWorker(deps, { concurrency: 2 }, false);
    expect(await survivor.drain()).toBe(0);
    clock.now += 61_000;
    expect(await survivor.drain()).toBe(1);
    expect(handled).toEqual(['orphan']);
  });

  it('retries a failing job with back-off and succeeds later', async () => {
    failuresLeft = 2;
    await enqueueNow(db, flakyJob, {}, clock.now);
    const id = await lastJobId(db, 'test.flaky');
    const worker = startWorker(deps, { concurrency: 1 }, false);
    await worker.drain();
    let job = await db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts', 'last_error', 'run_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({
      status: 'queued',
      attempts: 1,
      last_error: 'SMTP server said 421',
    });
    expect(job.run_at).toBe(clock.now + 10_000);
    clock.now += 10_000;
    await worker.drain();
    clock.now += 20_000;
    await worker.drain();
    job = await db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts', 'last_error', 'run_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'done', attempts: 3 });
  });

  it('retries an attempt the database failed within seconds, not on the job type’s own back-off', async () => {
    unreachableLeft = 2;
    failuresLeft = 1;
    await enqueueNow(db, patientJob, {}, clock.now);
    const id = await lastJobId(db, 'test.patient');
    const worker = startWorker(deps, { concurrency: 1 }, false);
    const state = () =>
      db.kysely
        .selectFrom('jobs')
        .select(['status', 'attempts', 'last_error', 'run_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    await worker.drain();
    expect(await state()).toEqual({
      status: 'queued',
      attempts: 1,
      last_error: 'timeout exceeded when trying to connect',
      run_at: clock.now + 5_000,
    });
    clock.now += 5_000;
    await worker.drain();
    expect((await state()).run_at).toBe(clock.now + 10_000);
    clock.now += 10_000;
    // A failure of what the job talks to keeps the type's own back-off (3 h after attempt 3).
    await worker.drain();
    expect(await state()).toEqual({
      status: 'queued',
      attempts: 3,
      last_error: 'SMTP server said 421',
      run_at: clock.now + 3 * 3_600_000,
    });
    clock.now += 3 * 3_600_000;
    await worker.drain();
    expect(await state()).toMatchObject({ status: 'done', attempts: 4 });
  });

  it('gives up after the maximum number of attempts, keeps the error and calls onFailed once', async () => {
    failedForGood.length = 0;
    await enqueueNow(db, brokenJob, {}, clock.now);
    const id = await lastJobId(db, 'test.broken');
    const worker = startWorker(deps, { concurrency: 1 }, false);
    await worker.drain();
    clock.now += 3_600_000;
    await worker.drain();
    const job = await db.kysely
      .selectFrom('jobs')
      .select(['status', 'attempts', 'last_error'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'failed', attempts: 2, last_error: 'always broken' });
    expect(failedForGood).toEqual([`${id}: always broken`]);
  });

  it('records a payload that does not fit its job type as skipped, without running it', async () => {
    handled.length = 0;
    await enqueue(db.kysely, recordJob, { n: { nested: true } } as never, {
      organisationId: null,
      now: clock.now,
    });
    const id = await lastJobId(db, 'test.record');
    await startWorker(deps, { concurrency: 1 }, false).drain();
    const job = await db.kysely
      .selectFrom('jobs')
      .select(['status', 'result'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({
      status: 'done',
      result: JSON.stringify({ status: 'skipped', detail: 'bad payload' }),
    });
    expect(handled).toEqual([]);
  });

  it('enqueues a job with a dedupe key once, however often it is asked', async () => {
    for (let i = 0; i < 3; i++) {
      await enqueue(
        db.kysely,
        recordJob,
        { n: 'daily' },
        {
          organisationId: null,
          now: clock.now,
          dedupeKey: 'test:daily:2026-11-01',
        },
      );
    }
    const rows = await db.kysely
      .selectFrom('jobs')
      .select('id')
      .where('dedupe_key', '=', 'test:daily:2026-11-01')
      .execute();
    expect(rows).toHaveLength(1);
    // It runs once, and leaves nothing due for the next test to find.
    handled.length = 0;
    await startWorker(deps, { concurrency: 2 }, false).drain();
    expect(handled).toEqual(['daily']);
  });

  it('fails a job of an unknown type instead of looping on it', async () => {
    await enqueueNow(db, nobodyJob, {}, clock.now);
    const id = await lastJobId(db, 'test.nobody');
    await startWorker(deps, { concurrency: 1 }, false).drain();
    const job = await db.kysely
      .selectFrom('jobs')
      .select(['status', 'last_error'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'failed', last_error: 'no handler for test.nobody' });
  });
});

describeEachDialect('job leases', (dialect) => {
  let db: Db;
  const clock = { now: Date.UTC(2026, 10, 1) };
  let deps: Deps;
  beforeAll(async () => {
    db = await freshDatabase(dialect);
    deps = { db, config: loadConfig({}), now: () => clock.now, platform };
  });
  afterAll(async () => db.close());

  it('fails a job whose worker died on its last attempt instead of reclaiming it forever', async () => {
    failedForGood.length = 0;
    await enqueueNow(db, poisonJob, { n: 'poison' }, clock.now);
    const id = await lastJobId(db, 'test.poison');
    expect((await claimJobs(db, 'crashed-worker', 1, clock.now, 60_000)).claimed).toHaveLength(1);
    clock.now += 61_000;
    // The next worker does not take it again; it fails it, and the job's onFailed runs.
    expect(await startWorker(deps, { concurrency: 1 }, false).drain()).toBe(0);
    expect(failedForGood).toEqual(['poison: worker lost during the last attempt']);
    const job = await db.kysely
      .selectFrom('jobs')
      .select(['status', 'last_error'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('failed');
    expect(job.last_error).toContain('lease expired');
  });

  it('renews the lease of a long-running job so no other worker takes it', async () => {
    longRuns = 0;
    const realClock = { ...deps, now: () => Date.now() };
    await enqueueNow(db, longJob, {}, Date.now());
    const first = startWorker(realClock, { concurrency: 1, leaseMs: 1500 }, false);
    const running = first.drain();
    try {
      await new Promise((r) => setTimeout(r, 2500));
      // The lease (1.5 s) would have run out by now without the heartbeat. A second worker that
      // took the job would block in it until released: wait for its answer at most 10 s, so a
      // broken heartbeat fails here instead of hanging the file until its timeout.
      const second = startWorker(realClock, { concurrency: 1, leaseMs: 1500 }, false).drain();
      const outcome = await Promise.race([
        second,
        new Promise((r) => setTimeout(() => r('the second worker took the job'), 10_000)),
      ]);
      expect(outcome).toBe(0);
    } finally {
      releaseLong();
      await running;
    }
    expect(longRuns).toBe(1);
  });

  it('keeps running other jobs while one job hangs: a slow job holds only its own slot', async () => {
    const realClock = { ...deps, now: () => Date.now() };
    await enqueueNow(db, hangJob, {}, Date.now() - 1000);
    const hung = await lastJobId(db, 'test.hang');
    handled.length = 0;
    await enqueueMany(
      db.kysely,
      recordJob,
      Array.from({ length: 12 }, (_, n) => ({
        payload: { n: `after-${n}` },
        organisationId: null,
        now: Date.now(),
      })),
    );
    const worker = startWorker(realClock, { concurrency: 2, pollMs: 50 });
    try {
      // Up to 20 s: the machine may be loaded.
      for (let i = 0; i < 400 && handled.length < 12; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      // All twelve ran through the one free slot while the other is still held by the hung job.
      expect(handled).toHaveLength(12);
      const job = await db.kysely
        .selectFrom('jobs')
        .select('status')
        .where('id', '=', hung)
        .executeTakeFirstOrThrow();
      expect(job.status).toBe('running');
    } finally {
      releaseHang();
      await worker.stop();
    }
    expect(await countJobs(db.kysely, { type: 'test.hang', status: 'done' })).toBe(1);
  });
});
