import type { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import type {
  JobBatchItem,
  JobContext,
  JobHandler,
  JobOutcome,
  JobResult,
  JobType,
} from '../contract.ts';
import { insertJobs, insertOrRequeueJob, type NewJobRow } from './jobs.repository.ts';

/** Exponential back-off: 10 s, 20 s, 40 s … capped at one hour. */
export const defaultRetryDelay = (attempt: number): number =>
  Math.min(3_600_000, 10_000 * 2 ** (attempt - 1));

/**
 * Back-off of an attempt that failed because the database could not be reached (no connection free
 * in time under load, a restart): 5 s, 10 s, 20 s … and never later than the job type's own
 * back-off. A type's back-off is sized for what the job talks to (a mail server that is down for a
 * night waits hours); a moment of database trouble is usually over in seconds, and a message the mail
 * server accepted but the database did not yet record must not stay unrecorded for an hour.
 */
export const databaseRetryDelay = (attempt: number): number =>
  Math.min(3_600_000, 5_000 * 2 ** (Math.max(attempt, 1) - 1));

export function defineJob<S extends z.ZodType<Record<string, unknown>>>(definition: {
  type: string;
  payload: S;
  maxAttempts?: number;
  retryDelayMs?: (attempt: number) => number;
}): JobType<z.output<S>> {
  return {
    type: definition.type,
    payload: definition.payload as unknown as z.ZodType<z.output<S>>,
    maxAttempts: definition.maxAttempts ?? 8,
    retryDelayMs: definition.retryDelayMs ?? defaultRetryDelay,
  };
}

/** Binds a handler to a job type; modules list the result in `defineModule({ jobs })`. */
export function handleJob<P>(job: JobType<P>, handler: Omit<JobHandler<P>, 'job'>): JobHandler<P> {
  return { job, ...handler };
}

export interface EnqueueOptions {
  /** The tenant the job works for; null for installation-wide jobs (a daily schedule). */
  organisationId: string | null;
  now: number;
  /** When the job becomes due; now when omitted. */
  runAt?: number;
  /**
   * At most one job with this key ever exists: enqueuing it again does nothing. Scheduled work
   * uses it so that however many workers see a moment come due, it is enqueued once.
   */
  dedupeKey?: string;
  /**
   * Jobs under one group key run one at a time, in the order they are claimed, across every
   * worker and process: a webhook endpoint's deliveries (`webhook:<endpointId>`), so one that hangs
   * holds one worker slot, not one per delivery.
   */
  groupKey?: string;
}

/**
 * Writes a job in the caller's transaction (transactional outbox): the job exists if and only if
 * the change that caused it commits, and it runs after that commit.
 */
export async function enqueue<P>(
  db: Executor,
  job: JobType<P>,
  payload: P,
  options: EnqueueOptions,
): Promise<void> {
  await enqueueMany(db, job, [{ payload, ...options }]);
}

/**
 * `enqueue` under a dedupe key, except that a job under the key that has finished runs again: for
 * work whose earlier run decided on facts that have since been corrected (a visit's kind).
 */
export async function enqueueAgain<P>(
  db: Executor,
  job: JobType<P>,
  payload: P,
  options: EnqueueOptions & { dedupeKey: string },
): Promise<void> {
  const { row } = queued(job, payload, options);
  await insertOrRequeueJob(db, { ...row, dedupeKey: options.dedupeKey });
}

/** A job ready to be written with others, of any type (`enqueueAll`). */
export interface QueuedJob {
  readonly row: NewJobRow;
}

/** One job of `enqueueAll`: typed by its job as `enqueue` is. */
export function queued<P>(job: JobType<P>, payload: P, options: EnqueueOptions): QueuedJob {
  return {
    row: {
      type: job.type,
      payload: JSON.stringify(payload),
      organisationId: options.organisationId,
      runAt: options.runAt ?? options.now,
      maxAttempts: job.maxAttempts,
      createdAt: options.now,
      dedupeKey: options.dedupeKey ?? null,
      groupKey: options.groupKey ?? null,
    },
  };
}

/** Jobs of several types in few statements (an answer batch's case alerts, say). */
export async function enqueueAll(db: Executor, jobs: readonly QueuedJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await insertJobs(
    db,
    jobs.map((j) => j.row),
  );
}

/** Many jobs of one type in few statements (a send of 10,000 invitations). */
export async function enqueueMany<P>(
  db: Executor,
  job: JobType<P>,
  items: readonly (EnqueueOptions & { payload: P })[],
): Promise<void> {
  await enqueueAll(
    db,
    items.map((item) => queued(job, item.payload, item)),
  );
}

export type { JobBatchItem, JobContext, JobHandler, JobOutcome, JobResult, JobType };
