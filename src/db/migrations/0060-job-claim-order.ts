import type { Kysely } from 'kysely';

/**
 * The job claim takes the due jobs in the order they fell due, oldest created first
 * (`order by run_at, created_at`). The index held `(status, run_at)` only, and the jobs of one send
 * fall due at the same moment: every claim read and sorted all of them to take the first few, so
 * a send of n invitations cost O(n²) (a claim among 1,500 queued jobs: ~0.5 ms; among 10,000:
 * several). With `created_at` in the index, each arm of the claim (jobs-repository) reads just the
 * rows it takes, in index order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('jobs_status_run_at_created')
    .on('jobs')
    .columns(['status', 'run_at', 'created_at'])
    .execute();
  await db.schema.dropIndex('jobs_status_run_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('jobs_status_run_at')
    .on('jobs')
    .columns(['status', 'run_at'])
    .execute();
  await db.schema.dropIndex('jobs_status_run_at_created').execute();
}
