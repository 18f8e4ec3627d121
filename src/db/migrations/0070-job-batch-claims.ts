import type { Kysely } from 'kysely';

/**
 * A worker that takes one of a send's invitations takes up to a batch of that organisation's due
 * invitations with it (`claimBatchCompanions`, jobs.repository.ts): the queued jobs of one type and
 * organisation, due now, oldest first. `(organisation_id, type, status)` found them but not in that
 * order, so every batch read and sorted all of the send's waiting jobs: O(n²) over a send. With
 * the due moment and the creation order after the status, a batch is one range read in index
 * order, cut at its size. The outbox's "try again" reads the same index by its first three columns.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('jobs_org_type_status_run')
    .on('jobs')
    .columns(['organisation_id', 'type', 'status', 'run_at', 'created_at'])
    .execute();
  await db.schema.dropIndex('jobs_org_type_status').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('jobs_org_type_status')
    .on('jobs')
    .columns(['organisation_id', 'type', 'status'])
    .execute();
  await db.schema.dropIndex('jobs_org_type_status_run').execute();
}
