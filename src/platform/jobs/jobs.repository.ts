import { sql, type RawBuilder } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';
import type { JobStatus, JobTable } from '../../db/schema.ts';
import { newId } from '../../shared/ids.ts';
import { jobKeyOf, payloadKeyOf } from '../../shared/job-key.ts';

/** A job row to insert; `enqueue` in define-job.ts builds these from a typed job. */
export interface NewJobRow {
  type: string;
  payload: string;
  organisationId: string | null;
  runAt: number;
  maxAttempts: number;
  createdAt: number;
  dedupeKey: string | null;
  /** Jobs of one group run one at a time (`claimJobs`); null for most. */
  groupKey?: string | null;
}

/**
 * Inserts jobs in the caller's transaction (transactional outbox), 500 per statement. A job whose
 * dedupe key already exists is not inserted again.
 */
export async function insertJobs(db: Executor, rows: readonly NewJobRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db
      .insertInto('jobs')
      .values(chunk.map(queuedRow))
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }
}

/** The columns a job waiting for its first attempt has: one builder for every insert. */
function queuedRow(row: NewJobRow) {
  return {
    id: newId(),
    organisation_id: row.organisationId,
    type: row.type,
    created_at: row.createdAt,
    dedupe_key: row.dedupeKey,
    group_key: row.groupKey ?? null,
    ...againColumns(row),
  };
}

/** The columns that make a job queued again: payload, due moment, fresh attempts, no holder. */
function againColumns(row: NewJobRow) {
  return {
    payload: row.payload,
    payload_key: payloadKeyOf(row.payload),
    status: 'queued' as const,
    run_at: row.runAt,
    attempts: 0,
    max_attempts: row.maxAttempts,
    locked_by: null,
    locked_until: null,
    last_error: null,
    result: null,
    finished_at: null,
  };
}

/**
 * Inserts a job under its dedupe key or, when a job under that key has finished (done or failed)
 * or is running, queues that one again with this payload, due moment and fresh attempts: the key
 * still names one job, and a decision taken on facts since corrected is taken again. A running
 * job's worker no longer holds it (its completion and failure act only on a job it holds), so
 * one finishing on the facts before the correction does not end it. A job still waiting is left
 * as it is: it will read the corrected facts.
 */
export async function insertOrRequeueJob(
  db: Executor,
  row: NewJobRow & { dedupeKey: string },
): Promise<void> {
  await db
    .insertInto('jobs')
    .values(queuedRow(row))
    .onConflict((oc) =>
      oc
        .column('dedupe_key')
        .doUpdateSet(againColumns(row))
        .where('jobs.status', 'in', ['done', 'failed', 'running'])
        .where('jobs.type', '=', row.type),
    )
    .execute();
}

export type ClaimedJob = Pick<
  JobTable,
  'id' | 'organisation_id' | 'type' | 'payload' | 'attempts' | 'max_attempts' | 'group_key'
>;

/** The advisory lock that serialises claims on PostgreSQL (see `claimJobs`). */
const CLAIM_LOCK = 4242004;

/**
 * Claims up to `limit` due jobs for `workerId` with a lease. A job whose lease expired (its worker
 * died) is due again. On PostgreSQL, `FOR UPDATE SKIP LOCKED` keeps a claim from waiting on a job
 * row another statement holds; SQLite has a single writer, so the UPDATE is atomic already.
 *
 * A job with a group key starts only when no job of its group is running (one whose lease ended
 * included: it comes back first), and a claim takes at most one job per group: a group's jobs run
 * one at a time, across every worker and process, in claim order. So that two workers never see
 * the same idle group at once, claims on PostgreSQL take one transaction-level advisory lock and
 * run one after another (each reads only the rows it takes, so the wait is short).
 */
export async function claimJobs(
  db: Db,
  workerId: string,
  limit: number,
  now: number,
  leaseMs: number,
): Promise<{ claimed: ClaimedJob[]; lost: ClaimedJob[] }> {
  if (db.dialect !== 'postgres') return claimIn(db.kysely, false, workerId, limit, now, leaseMs);
  return db.kysely.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${CLAIM_LOCK})`.execute(trx);
    return claimIn(trx, true, workerId, limit, now, leaseMs);
  });
}

async function claimIn(
  db: Executor,
  postgres: boolean,
  workerId: string,
  limit: number,
  now: number,
  leaseMs: number,
): Promise<{ claimed: ClaimedJob[]; lost: ClaimedJob[] }> {
  // A job whose worker died comes back when its lease ends, unless it has used all its attempts:
  // a job that kills its worker (out of memory, say) must not loop forever. Those are failed here
  // and returned, so their handler's onFailed runs.
  const lost =
    await sql<ClaimedJob>`update jobs set status = 'failed', finished_at = ${now}, locked_by = null, locked_until = null,
      last_error = coalesce(last_error, 'worker lost') || ' (lease expired after the last attempt)'
    where status = 'running' and locked_until < ${now} and attempts >= max_attempts
    returning id, organisation_id, type, payload, attempts, max_attempts, group_key`.execute(db);
  // Two arms, each read in the order of the index (status, run_at, created_at) and cut at `limit`:
  // the queued jobs that are due, and the running ones whose lease ended. One `or` of the two
  // read and sorted every due job to take the first few (O(n) per claim, O(n²) for a send).
  // A queued job whose group is busy is read past (the partial index of running grouped jobs
  // answers the question); of the rows the arms return, only each group's first is taken.
  const lock = postgres ? sql`for update skip locked` : sql``;
  const arm = (condition: RawBuilder<unknown>) => sql`
    select id, run_at, created_at, group_key from (
      select id, run_at, created_at, group_key from jobs where ${condition}
      order by run_at, created_at limit ${limit} ${lock}) as arm`;
  const idle = sql`(group_key is null or not exists (
    select 1 from jobs as busy where busy.group_key = jobs.group_key and busy.status = 'running'))`;
  const result = await sql<ClaimedJob>`
    update jobs set status = 'running', locked_by = ${workerId}, locked_until = ${now + leaseMs},
      attempts = attempts + 1
    where id in (
      select id from (
        select id, run_at, created_at, row_number() over (
          partition by coalesce(group_key, id) order by run_at, created_at, id) as nth
        from (
          ${arm(sql`status = 'queued' and run_at <= ${now} and ${idle}`)}
          union all
          ${arm(sql`status = 'running' and locked_until < ${now}`)}
        ) as due
      ) as firsts where nth = 1 order by run_at, created_at limit ${limit})
    returning id, organisation_id, type, payload, attempts, max_attempts, group_key`.execute(db);
  return { claimed: result.rows, lost: lost.rows };
}

/**
 * Claims, beside a job just claimed, up to `limit` more due jobs of its type and organisation
 * without a group, oldest first: the rest of its batch (`JobHandler.batch`). One range read of
 * `jobs_org_type_queued_run` (migration 0070) in index order, cut at the limit. No advisory lock
 * on PostgreSQL: the jobs have no group, and `skip locked` keeps two workers from taking one job.
 */
export async function claimBatchCompanions(
  db: Db,
  workerId: string,
  first: Pick<ClaimedJob, 'type' | 'organisation_id'>,
  limit: number,
  now: number,
  leaseMs: number,
): Promise<ClaimedJob[]> {
  if (limit <= 0 || first.organisation_id === null) return [];
  const lock = db.dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<ClaimedJob>`
    update jobs set status = 'running', locked_by = ${workerId}, locked_until = ${now + leaseMs},
      attempts = attempts + 1
    where id in (
      select id from (
        select id from jobs
        where organisation_id = ${first.organisation_id} and type = ${first.type}
          and status = 'queued' and run_at <= ${now} and group_key is null
        order by run_at, created_at limit ${limit} ${lock}) as companions)
    returning id, organisation_id, type, payload, attempts, max_attempts, group_key`.execute(
    db.kysely,
  );
  return result.rows;
}

/** `completeJob` for jobs that came to one result (a batch's sent invitations). */
export async function completeJobs(
  db: Executor,
  ids: readonly string[],
  workerId: string,
  result: string,
  now: number,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .updateTable('jobs')
      .set({ status: 'done', result, finished_at: now, locked_by: null, locked_until: null })
      .where('id', 'in', ids.slice(i, i + 500))
      .where('locked_by', '=', workerId)
      .execute();
  }
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

/** Records a failed attempt: due again after `retryDelayMs`, or failed for good after the last. */
export async function failJob(
  db: Executor,
  job: ClaimedJob,
  workerId: string,
  error: string,
  now: number,
  retryDelayMs: number,
): Promise<void> {
  const final = job.attempts >= job.max_attempts;
  const delay = retryDelayMs;
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

/**
 * A job's payload as a key: its fields (`{ responseId }`, `{ membershipId, week }`), all of them, in
 * any order.
 */
export type JobKey = Readonly<Record<string, string | number | boolean | null>>;

/** Whether a payload's JSON holds exactly the key's fields, whatever their order or spacing. */
function payloadIs(payload: string, key: JobKey): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  const fields = parsed as Record<string, unknown>;
  return (
    Object.keys(fields).length === Object.keys(key).length &&
    Object.entries(key).every(([name, value]) => fields[name] === value)
  );
}

/**
 * The ids of an organisation's jobs of a type in these states whose payload is the key. Read by
 * the payload's key (`payload_key`, `jobs_org_type_payload_key`, migration 0069): the jobs of that
 * one payload, never the type's other jobs — a send of 10,000 invitations keeps 10,000 of them
 * waiting, and given-up jobs stay. The key is a digest of the fields in name order, so a payload
 * written with its fields in another order or other spacing is found all the same; the payloads
 * found are parsed and compared to the key, field for field.
 */
async function jobIdsByKey(
  db: Executor,
  filter: { organisationId: string; type: string; key: JobKey },
  statuses: readonly JobStatus[],
): Promise<{ id: string; status: JobStatus }[]> {
  const rows = await db
    .selectFrom('jobs')
    .select(['id', 'status', 'payload'])
    .where('organisation_id', '=', filter.organisationId)
    .where('type', '=', filter.type)
    .where('payload_key', '=', jobKeyOf(filter.key))
    .where('status', 'in', [...statuses])
    .execute();
  return rows
    .filter((row) => payloadIs(row.payload, filter.key))
    .map((row) => ({ id: row.id, status: row.status }));
}

/**
 * Makes a waiting job of a type and key due at `runAt` (a person asked to try again now).
 * Returns how many jobs moved; none when the job is running or already done.
 */
export async function bringJobForward(
  db: Executor,
  filter: { type: string; key: JobKey; organisationId: string },
  runAt: number,
): Promise<number> {
  const ids = (await jobIdsByKey(db, filter, ['queued'])).map((j) => j.id);
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('jobs')
    .set({ run_at: runAt })
    .where('organisation_id', '=', filter.organisationId)
    .where('id', 'in', ids)
    .where('status', '=', 'queued')
    .where('run_at', '>', runAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Runs a mail job again now because a person asked to (the outbox's "try again"): a waiting job is
 * made due at once; one that ran out of attempts (`failed`) is queued again with a fresh round of
 * attempts. The job is named by its id, or by its type and its payload's fields (`JobKey`: the
 * payload's key order and spacing do not matter). False when there is no such job, or it is running
 * or done (nothing to try again).
 */
export async function retryJobNow(
  db: Executor,
  job: { organisationId: string } & ({ id: string } | { type: string; key: JobKey }),
  now: number,
): Promise<boolean> {
  const found =
    'id' in job
      ? [
          { id: job.id, status: 'queued' as const },
          { id: job.id, status: 'failed' as const },
        ]
      : await jobIdsByKey(db, job, ['queued', 'failed']);
  const ids = (status: JobStatus) => found.filter((j) => j.status === status).map((j) => j.id);
  const queuedIds = ids('queued');
  if (queuedIds.length > 0) {
    const waiting = await db
      .updateTable('jobs')
      .set({ run_at: now })
      .where('organisation_id', '=', job.organisationId)
      .where('id', 'in', queuedIds)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (Number(waiting.numUpdatedRows) > 0) return true;
  }
  const failedIds = ids('failed');
  if (failedIds.length === 0) return false;
  const failed = await db
    .updateTable('jobs')
    .set({
      status: 'queued',
      run_at: now,
      attempts: 0,
      locked_by: null,
      locked_until: null,
      last_error: null,
      result: null,
      finished_at: null,
    })
    .where('organisation_id', '=', job.organisationId)
    .where('id', 'in', failedIds)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(failed.numUpdatedRows) > 0;
}

/**
 * Gives the jobs under a dedupe key another key and payload (an erased visit takes another id, and
 * its waiting invitation job follows it instead of keeping the old, number-derived id). Returns how
 * many jobs changed.
 */
export async function rekeyJobs(
  db: Executor,
  organisationId: string,
  fromKey: string,
  to: { dedupeKey: string; payload: string },
): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({ dedupe_key: to.dedupeKey, payload: to.payload, payload_key: payloadKeyOf(to.payload) })
    .where('organisation_id', '=', organisationId)
    .where('dedupe_key', '=', fromKey)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
