import { sql, type Kysely } from 'kysely';

/**
 * A worker that takes one of a send's invitations takes up to a batch of that organisation's due
 * invitations with it (`claimBatchCompanions`, jobs.repository.ts): the queued jobs of one type and
 * organisation, due now, oldest first. No index held them in that order, so each batch would read
 * and sort every waiting job of the send (O(n²) over a send), or walk the installation's due jobs
 * of every organisation and type. This partial index holds only the queued jobs, by organisation,
 * type, due moment and creation: a batch is one range read in index order, cut at its size, and a
 * job leaves the index when it is claimed. The predicate is a literal, as SQLite requires of a
 * partial index, and the claim states it as written. The index repeats the status although every
 * entry has the same one: without statistics SQLite rated an equality the index could not see
 * below the one `jobs_status_run_at_created` can, and walked every due job of the installation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index jobs_org_type_queued_run on jobs
    (organisation_id, type, status, run_at, created_at) where status = 'queued'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_org_type_queued_run').execute();
}
