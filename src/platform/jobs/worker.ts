import { hostname } from 'node:os';
import { isDatabaseUnavailable } from '../../db/database.ts';
import type { Deps } from '../deps.ts';
import { newId } from '../../shared/ids.ts';
import { databaseRetryDelay, defaultRetryDelay, type JobContext } from './define-job.ts';
import {
  claimBatchCompanions,
  claimJobs,
  completeJob,
  completeJobs,
  failJob,
  renewLeases,
  type ClaimedJob,
} from './jobs.repository.ts';
import type { JobHandler, JobOutcome } from '../contract.ts';
import { enqueueDueSchedules } from './schedules.ts';

export interface WorkerOptions {
  concurrency: number;
  /** How long a claimed job is leased; a worker that dies releases its jobs when the lease ends. */
  leaseMs?: number;
  pollMs?: number;
  log?: (msg: string, data?: Record<string, unknown>) => void;
}

export interface Worker {
  id: string;
  stop(): Promise<void>;
  /** Runs until no job is due (tests and the CLI's `--drain`). */
  drain(): Promise<number>;
}

/**
 * The job loop. It keeps up to `concurrency` jobs in flight and claims a new job as soon as a slot
 * frees up, so one slow job (a mail server that never answers, a 100,000-row import) holds only its
 * own slot, never the others. At most `concurrency` jobs are in flight when the process dies. Each
 * handler runs outside any transaction; a heartbeat pushes the lease of every running job forward,
 * so a long job is not handed to another worker mid-run.
 */
export function startWorker(deps: Deps, options: WorkerOptions, autoStart = true): Worker {
  const id = `${hostname()}:${process.pid}:${newId().slice(-12)}`;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 500;
  /** The running slots, by their first job's id: one job, or one batch of jobs. */
  const inFlight = new Map<string, Promise<void>>();
  /** Every job this worker runs now (a batch holds several), for the lease renewal. */
  const leased = new Set<string>();
  let stopped = false;
  let heartbeat: NodeJS.Timeout | null = null;
  let wake: (() => void) | null = null;
  let loop: Promise<void> | null = null;
  /** The due moment each schedule was last enqueued for by this worker (saves a write per tick). */
  const scheduled = new Map<string, string>();
  const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

  const contextOf = (job: ClaimedJob): JobContext => ({
    ...deps,
    organisationId: job.organisation_id,
    jobId: job.id,
    attempt: job.attempts,
    maxAttempts: job.max_attempts,
    retryAt: (now) =>
      job.attempts >= job.max_attempts ? null : now + retryDelayOf(job.type)(job.attempts),
  });
  const retryDelayOf = (type: string) =>
    deps.platform.jobHandler(type)?.job.retryDelayMs ?? defaultRetryDelay;

  /** A job failed for good: let its module put the subject in a visible state. */
  async function failedForGood(job: ClaimedJob, error: string): Promise<void> {
    const handler = deps.platform.jobHandler(job.type);
    if (!handler?.onFailed) return;
    try {
      const payload = handler.job.payload.parse(JSON.parse(job.payload));
      await handler.onFailed(payload, contextOf(job), error);
    } catch (err) {
      options.log?.('onFailed failed', {
        jobId: job.id,
        type: job.type,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  async function runOne(job: ClaimedJob): Promise<void> {
    const handler = deps.platform.jobHandler(job.type);
    if (!handler) {
      await failJob(
        deps.db.kysely,
        { ...job, attempts: job.max_attempts },
        id,
        `no handler for ${job.type}`,
        deps.now(),
        0,
      );
      return;
    }
    const payload = await parsePayload(handler, job);
    if (payload === undefined) return;
    let outcome: JobOutcome;
    try {
      outcome = { ok: true, result: await handler.run(payload.value, contextOf(job)) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    await record(job, outcome);
  }

  /**
   * The payload of a claimed job; a payload that does not fit its job type can never succeed, so
   * the job is recorded as skipped and undefined returned.
   */
  async function parsePayload(
    handler: JobHandler<unknown>,
    job: ClaimedJob,
  ): Promise<{ value: unknown } | undefined> {
    try {
      return { value: handler.job.payload.parse(JSON.parse(job.payload)) };
    } catch {
      const result = { status: 'skipped', detail: 'bad payload' };
      await completeJob(deps.db.kysely, job.id, id, JSON.stringify(result), deps.now());
      return undefined;
    }
  }

  /**
   * Records what one attempt of a job came to: done, or failed and due again (or for good). An
   * attempt the database failed (unreachable for a moment) is due again soon
   * (`databaseRetryDelay`), not on the job type's own back-off.
   */
  async function record(job: ClaimedJob, outcome: JobOutcome): Promise<void> {
    if (outcome.ok) {
      await completeJob(deps.db.kysely, job.id, id, JSON.stringify(outcome.result), deps.now());
      deps.metrics?.jobsFinished.inc({ type: job.type, outcome: outcome.result.status });
      return;
    }
    const message = errorText(outcome.error);
    options.log?.('job failed', {
      jobId: job.id,
      type: job.type,
      attempt: job.attempts,
      error: message,
    });
    const last = job.attempts >= job.max_attempts;
    deps.metrics?.jobsFinished.inc({ type: job.type, outcome: last ? 'failed' : 'retry' });
    if (last) await failedForGood(job, message);
    const ownDelay = retryDelayOf(job.type)(job.attempts);
    await failJob(
      deps.db.kysely,
      job,
      id,
      message,
      deps.now(),
      isDatabaseUnavailable(outcome.error)
        ? Math.min(ownDelay, databaseRetryDelay(job.attempts))
        : ownDelay,
    );
  }

  /**
   * Runs jobs of one batching type and organisation together (`JobHandler.batch`). Each keeps its
   * own outcome: the ones that came to the same result are recorded in one statement, a failed
   * one on its own back-off. If the batch itself throws, every job of it failed that attempt.
   */
  async function runBatch(
    handler: JobHandler<unknown> & { batch: NonNullable<JobHandler['batch']> },
    jobs: readonly ClaimedJob[],
  ): Promise<void> {
    const items: { job: ClaimedJob; payload: unknown }[] = [];
    for (const job of jobs) {
      const payload = await parsePayload(handler, job);
      if (payload !== undefined) items.push({ job, payload: payload.value });
    }
    if (items.length === 0) return;
    let outcomes: readonly JobOutcome[];
    try {
      outcomes = await handler.batch.run(
        items.map(({ job, payload }) => ({ payload, ctx: contextOf(job) })),
      );
      if (outcomes.length !== items.length) {
        throw new Error(`batch of ${items.length} jobs returned ${outcomes.length} outcomes`);
      }
    } catch (error) {
      outcomes = items.map(() => ({ ok: false, error }));
    }
    const done = new Map<string, ClaimedJob[]>();
    for (const [i, { job }] of items.entries()) {
      const outcome = outcomes[i] as JobOutcome;
      if (!outcome.ok) {
        await record(job, outcome);
        continue;
      }
      const result = JSON.stringify(outcome.result);
      done.set(result, [...(done.get(result) ?? []), job]);
      deps.metrics?.jobsFinished.inc({ type: job.type, outcome: outcome.result.status });
    }
    for (const [result, finished] of done) {
      await completeJobs(
        deps.db.kysely,
        finished.map((j) => j.id),
        id,
        result,
        deps.now(),
      );
    }
  }

  function renew(): void {
    if (leased.size === 0) return;
    renewLeases(deps.db.kysely, [...leased], id, deps.now() + leaseMs).catch((err: unknown) =>
      options.log?.('lease renewal failed', { error: errorText(err) }),
    );
  }

  /** Claims as many due jobs as there are free slots and starts them; returns how many. */
  async function fill(): Promise<number> {
    await enqueueDueSchedules(deps, scheduled);
    const free = options.concurrency - inFlight.size;
    if (free <= 0) return 0;
    const { claimed: jobs, lost } = await claimJobs(deps.db, id, free, deps.now(), leaseMs);
    for (const job of lost) await failedForGood(job, 'worker lost during the last attempt');
    let count = 0;
    for (const job of jobs) {
      const handler = deps.platform.jobHandler(job.type);
      const batch: ClaimedJob[] = [job];
      if (handler?.batch && job.group_key === null) {
        // The rest of its batch: more of the organisation's due jobs of this type, in this slot.
        // If that claim fails (the database went away for a moment), the job runs alone.
        try {
          batch.push(
            ...(await claimBatchCompanions(
              deps.db,
              id,
              job,
              handler.batch.size - 1,
              deps.now(),
              leaseMs,
            )),
          );
        } catch (err) {
          options.log?.('batch claim failed', { jobId: job.id, error: errorText(err) });
        }
      }
      count += batch.length;
      for (const j of batch) leased.add(j.id);
      const work =
        handler?.batch && batch.length > 1
          ? runBatch({ ...handler, batch: handler.batch }, batch)
          : runOne(job);
      const running = work
        .catch((err: unknown) =>
          // Recording the outcome failed (the database went away): the lease runs out and the
          // job comes back, as after a crash.
          options.log?.('job outcome not recorded', { jobId: job.id, error: errorText(err) }),
        )
        .finally(() => {
          inFlight.delete(job.id);
          for (const j of batch) leased.delete(j.id);
          if (inFlight.size === 0 && heartbeat) {
            clearInterval(heartbeat);
            heartbeat = null;
          }
          wake?.();
        });
      inFlight.set(job.id, running);
      if (!heartbeat) heartbeat = setInterval(renew, Math.max(1000, Math.floor(leaseMs / 3)));
    }
    return count;
  }

  /** Sleeps until `ms` pass or a running job finishes (a slot is free again). */
  function pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
      wake = done;
    });
  }

  async function run(): Promise<void> {
    // Consecutive failed polls (the database is restarting, say): wait longer each time, up to
    // five seconds, so an outage is not a busy loop of errors, and poll normally once it is back.
    let failures = 0;
    while (!stopped) {
      let claimed = 0;
      try {
        claimed = await fill();
        failures = 0;
      } catch (err) {
        failures++;
        options.log?.('worker tick failed', { error: errorText(err), failures });
      }
      if (stopped) break;
      // Claimed some and slots are left: more may be due right away.
      if (claimed > 0 && inFlight.size < options.concurrency) continue;
      await pause(failures === 0 ? pollMs : Math.min(5_000, pollMs * 2 ** (failures - 1)));
    }
    await Promise.all(inFlight.values());
  }

  if (autoStart) loop = run();

  return {
    id,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await Promise.all(inFlight.values());
    },
    async drain() {
      let total = 0;
      for (;;) {
        const claimed = await fill();
        total += claimed;
        if (claimed === 0 && inFlight.size === 0) return total;
        if (claimed === 0 || inFlight.size >= options.concurrency) {
          await Promise.race(inFlight.values());
        }
      }
    },
  };
}
