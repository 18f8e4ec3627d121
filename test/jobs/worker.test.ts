import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { claimJobs, countJobs, enqueueJob, enqueueJobs } from '../../src/jobs/jobs.repository.ts';
import { registerJobHandler } from '../../src/jobs/registry.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import type { Deps } from '../../src/server/deps.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';

const handled: string[] = [];
registerJobHandler('test.record', async (payload) => {
  handled.push(String(payload.n));
  await new Promise((r) => setTimeout(r, 1));
  return { status: 'success' };
});
let failuresLeft = 0;
registerJobHandler('test.flaky', async () => {
  if (failuresLeft-- > 0) throw new Error('SMTP server said 421');
  return { status: 'success', detail: 'sent after retry' };
});
registerJobHandler('test.broken', async () => {
  throw new Error('always broken');
});

describeEachDialect('job queue and worker', (dialect) => {
  let db: Db;
  const clock = { now: Date.UTC(2026, 10, 1) };
  let deps: Deps;
  beforeAll(async () => {
    db = await freshDatabase(dialect);
    deps = { db, config: loadConfig({}), now: () => clock.now };
  });
  afterAll(async () => db.close());

  it('writes a job only when the transaction that caused it commits', async () => {
    await expect(
      db.kysely.transaction().execute(async (trx) => {
        await enqueueJob(
          trx,
          { type: 'test.record', payload: { n: -1 }, organisationId: null },
          clock.now,
        );
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await countJobs(db.kysely, { type: 'test.record' })).toBe(0);
  });

  it('runs each job exactly once with several workers claiming in parallel', async () => {
    handled.length = 0;
    await enqueueJobs(
      db.kysely,
      Array.from({ length: 300 }, (_, n) => ({
        type: 'test.record',
        payload: { n },
        organisationId: null,
      })),
      clock.now,
    );
    const workers = [1, 2, 3].map(() => startWorker(deps, { concurrency: 5 }, false));
    await Promise.all(workers.map((w) => w.drain()));
    expect(handled).toHaveLength(300);
    expect(new Set(handled).size).toBe(300);
    expect(await countJobs(db.kysely, { type: 'test.record', status: 'done' })).toBe(300);
  });

  it('hands a job whose worker died to another worker once the lease has run out', async () => {
    handled.length = 0;
    await enqueueJob(
      db.kysely,
      { type: 'test.record', payload: { n: 'orphan' }, organisationId: null },
      clock.now,
    );
    const claimed = await claimJobs(db, 'dead-worker', 10, clock.now, 60_000);
    expect(claimed).toHaveLength(1);
    const survivor = startWorker(deps, { concurrency: 2 }, false);
    expect(await survivor.drain()).toBe(0);
    clock.now += 61_000;
    expect(await survivor.drain()).toBe(1);
    expect(handled).toEqual(['orphan']);
  });

  it('retries a failing job with back-off and succeeds later', async () => {
    failuresLeft = 2;
    const id = await enqueueJob(
      db.kysely,
      { type: 'test.flaky', payload: {}, organisationId: null },
      clock.now,
    );
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

  it('gives up after the maximum number of attempts and keeps the error', async () => {
    const id = await enqueueJob(
      db.kysely,
      { type: 'test.broken', payload: {}, organisationId: null, maxAttempts: 2 },
      clock.now,
    );
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
  });

  it('fails a job of an unknown type instead of looping on it', async () => {
    const id = await enqueueJob(
      db.kysely,
      { type: 'test.nobody', payload: {}, organisationId: null },
      clock.now,
    );
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
    deps = { db, config: loadConfig({}), now: () => clock.now };
  });
  afterAll(async () => db.close());

  it('fails a job whose worker died on its last attempt instead of reclaiming it forever', async () => {
    const id = await enqueueJob(
      db.kysely,
      { type: 'test.record', payload: { n: 'poison' }, organisationId: null, maxAttempts: 1 },
      clock.now,
    );
    expect(await claimJobs(db, 'crashed-worker', 1, clock.now, 60_000)).toHaveLength(1);
    clock.now += 61_000;
    expect(await claimJobs(db, 'next-worker', 1, clock.now, 60_000)).toHaveLength(0);
    const job = await db.kysely
      .selectFrom('jobs')
      .select(['status', 'last_error'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('failed');
    expect(job.last_error).toContain('lease expired');
  });

  it('renews the lease of a long-running job so no other worker takes it', async () => {
    let release: () => void = () => {};
    let runs = 0;
    registerJobHandler('test.long', async () => {
      runs++;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return { status: 'success' };
    });
    const realClock = { ...deps, now: () => Date.now() };
    await enqueueJob(
      db.kysely,
      { type: 'test.long', payload: {}, organisationId: null },
      Date.now(),
    );
    const first = startWorker(realClock, { concurrency: 1, leaseMs: 1500 }, false);
    const running = first.drain();
    await new Promise((r) => setTimeout(r, 2500));
    // The lease (1.5 s) would have run out by now without the heartbeat.
    expect(await startWorker(realClock, { concurrency: 1, leaseMs: 1500 }, false).drain()).toBe(0);
    release();
    await running;
    expect(runs).toBe(1);
  });
});
