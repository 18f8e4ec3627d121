import { hostname } from 'node:os';
import type { Deps } from '../deps.ts';
import { newId } from '../../shared/ids.ts';
import { defaultRetryDelay, type JobContext } from './define-job.ts';
import {
  claimJobs,
  completeJob,
  failJob,
  renewLeases,
  type ClaimedJob,
} from './jobs.repository.ts';
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
 * The job loop: claims at most `concurrency` jobs at a time, so at most that many are in flight
 * when the process dies, and runs each handler outside any transaction.
 */
export function startWorker(deps: Deps, options: WorkerOptions, autoStart = true): Worker {
  const id = `${hostname()}:${process.pid}:${newId().slice(-12)}`;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 500;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let wake: (() => void) | null = null;
  let loop: Promise<void> | null = null;
  /** The due moment each schedule was last enqueued for by this worker (saves a write per tick). */
  const scheduled = new Map<string, string>();

  const contextOf = (job: ClaimedJob): JobContext => ({
    ...deps,
    organisationId: job.organisation_id,
    jobId: job.id,
    attempt: job.attempts,
    maxAttempts: job.max_attempts,
  });

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
    const now = deps.now();
    if (!handler) {
      await failJob(
        deps.db.kysely,
        { ...job, attempts: job.max_attempts },
        id,
        `no handler for ${job.type}`,
        now,
        0,
      );
      return;
    }
    let payload: unknown;
    try {
      payload = handler.job.payload.parse(JSON.parse(job.payload));
    } catch {
      // A payload that does not fit its job type can never succeed: record it and move on.
      const result = { status: 'skipped', detail: 'bad payload' };
      await completeJob(deps.db.kysely, job.id, id, JSON.stringify(result), deps.now());
      return;
    }
    try {
      const result = await handler.run(payload, contextOf(job));
      await completeJob(deps.db.kysely, job.id, id, JSON.stringify(result), deps.now());
      deps.metrics?.jobsFinished.inc({ type: job.type, outcome: result.status });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      options.log?.('job failed', {
        jobId: job.id,
        type: job.type,
        attempt: job.attempts,
        error: message,
      });
      const last = job.attempts >= job.max_attempts;
      deps.metrics?.jobsFinished.inc({ type: job.type, outcome: last ? 'failed' : 'retry' });
      if (last) await failedForGood(job, message);
      await failJob(
        deps.db.kysely,
        job,
        id,
        message,
        deps.now(),
        (handler.job.retryDelayMs ?? defaultRetryDelay)(job.attempts),
      );
    }
  }

  async function tick(): Promise<number> {
    await enqueueDueSchedules(deps, scheduled);
    const { claimed: jobs, lost } = await claimJobs(
      deps.db,
      id,
      options.concurrency,
      deps.now(),
      leaseMs,
    );
    for (const job of lost) await failedForGood(job, 'worker lost during the last attempt');
    if (jobs.length === 0) return 0;
    // Heartbeat: while handlers run, push the lease forward every third of it, so a long job (a
    // 100,000-row import, a slow SMTP server) is never reclaimed by another worker mid-run.
    const running = new Set(jobs.map((j) => j.id));
    const heartbeat = setInterval(
      () => {
        renewLeases(deps.db.kysely, [...running], id, deps.now() + leaseMs).catch((err: unknown) =>
          options.log?.('lease renewal failed', {
            error: err instanceof Error ? err.message : String(err),
          }),
        );
      },
      Math.max(1000, Math.floor(leaseMs / 3)),
    );
    try {
      await Promise.all(jobs.map((job) => runOne(job).finally(() => running.delete(job.id))));
    } finally {
      clearInterval(heartbeat);
    }
    return jobs.length;
  }

  async function run(): Promise<void> {
    // Consecutive failed polls (the database is restarting, say): wait longer each time, up to
    // five seconds, so an outage is not a busy loop of errors, and poll normally once it is back.
    let failures = 0;
    while (!stopped) {
      let n = 0;
      try {
        n = await tick();
        failures = 0;
      } catch (err) {
        failures++;
        options.log?.('worker tick failed', {
          error: err instanceof Error ? err.message : String(err),
          failures,
        });
      }
      if (n === 0 && !stopped) {
        const wait = failures === 0 ? pollMs : Math.min(5_000, pollMs * 2 ** (failures - 1));
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, wait);
        });
      }
    }
  }

  if (autoStart) loop = run();

  return {
    id,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await loop;
    },
    async drain() {
      let total = 0;
      for (;;) {
        const n = await tick();
        total += n;
        if (n === 0) return total;
      }
    },
  };
}
