import { sql } from 'kysely';
import type { Db, Executor } from '../db/database.ts';
import type { JobTable } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';

export interface EnqueueInput {
  type: string;
  /** Ids only: the handler re-reads current state when it runs. */
  payload: Record<string, string | number | boolean | null>;
  organisationId: string | null;
  runAt?: number;
  maxAttempts?: number;
}

/**
 * Writes a job in the caller's transaction (transactional outbox): the job exists if and only if
 * the change that caused it committed.
 */
export async function enqueueJob(db: Executor, input: EnqueueInput, now: number): Promise<string> {
  const id = newId();
  await db
    .insertInto('jobs')
    .values({
      id,
      organisation_id: input.organisationId,
      type: input.type,
      payload: JSON.stringify(input.payload),
      status: 'queued',
      run_at: input.runAt ?? now,
      attempts: 0,
      max_attempts: input.maxAttempts ?? 8,
      locked_by: null,
      locked_until: null,
      last_error: null,
      result: null,
      created_at: now,
      finished_at: null,
    })
    .execute();
  return id;
}

export async function enqueueJobs(
  db: Executor,
  inputs: EnqueueInput[],
  now: number,
): Promise<void> {
  for (let i = 0; i < inputs.length; i += 500) {
    const chunk = inputs.slice(i, i + 500);
    await db
      .insertInto('jobs')
      .values(
        chunk.map((input) => ({
          id: newId(),
          organisation_id: input.organisationId,
          type: input.type,
          payload: JSON.stringify(input.payload),
          status: 'queued' as const,
          run_at: input.runAt ?? now,
          attempts: 0,
          max_attempts: input.maxAttempts ?? 8,
          locked_by: null,
          locked_until: null,
          last_error: null,
          result: null,
          created_at: now,
          finished_at: null,
        })),
      )
      .execute();
  }
}

export type ClaimedJob = Pick<
  JobTable,
  'id' | 'organisation_id' | 'type' | 'payload' | 'attempts' | 'max_attempts'
>;

/**
 * Claims up to `limit` due jobs for `workerId` with a lease. A job whose lease expired (its worker
 * died) is due again. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several workers claim in parallel
 * without blocking or double-claiming; SQLite has a single writer, so the UPDATE is atomic already.
 */
export async function claimJobs(
  db: Db,
  workerId: string,
  limit: number,
  now: number,
  leaseMs: number,
): Promise<ClaimedJob[]> {
  // A job whose worker died comes back when its lease ends, unless it has used all its attempts:
  // a job that kills its worker (out of memory, say) must not loop forever.
  await sql`update jobs set status = 'failed', finished_at = ${now}, locked_by = null, locked_until = null,
      last_error = coalesce(last_error, 'worker lost') || ' (lease expired after the last attempt)'
    where status = 'running' and locked_until < ${now} and attempts >= max_attempts`.execute(
    db.kysely,
  );
  const due = sql`(status = 'queued' and run_at <= ${now}) or (status = 'running' and locked_until < ${now})`;
  const lock = db.dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<ClaimedJob>`
    update jobs set status = 'running', locked_by = ${workerId}, locked_until = ${now + leaseMs},
      attempts = attempts + 1
    where id in (select id from jobs where ${due} order by run_at, created_at limit ${limit} ${lock})
    returning id, organisation_id, type, payload, attempts, max_attempts`.execute(db.kysely);
  return result.rows;
}

export async function completeJob(
  db: Executor,
  id: string,
  workerId: string,
  result: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'done', result, finished_at: now, locked_by: null, locked_until: null })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .execute();
}

export async function failJob(
  db: Executor,
  job: ClaimedJob,
  workerId: string,
  error: string,
  now: number,
): Promise<void> {
  const final = job.attempts >= job.max_attempts;
  // Exponential back-off: 10 s, 20 s, 40 s … capped at one hour.
  const delay = Math.min(3_600_000, 10_000 * 2 ** (job.attempts - 1));
  await db
    .updateTable('jobs')
    .set({
      status: final ? 'failed' : 'queued',
      run_at: final ? now : now + delay,
      last_error: error.slice(0, 2000),
      finished_at: final ? now : null,
      locked_by: null,
      locked_until: null,
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .execute();
}

export async function countJobs(
  db: Executor,
  filter: { type?: string; status?: JobTable['status'] } = {},
) {
  let q = db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n'));
  if (filter.type) q = q.where('type', '=', filter.type);
  if (filter.status) q = q.where('status', '=', filter.status);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Extends the lease of jobs a worker is still running, so a long job is not handed to another. */
export async function renewLeases(
  db: Executor,
  ids: readonly string[],
  workerId: string,
  lockedUntil: number,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('jobs')
    .set({ locked_until: lockedUntil })
    .where('id', 'in', [...ids])
    .where('locked_by', '=', workerId)
    .where('status', '=', 'running')
    .execute();
}
