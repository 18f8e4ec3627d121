import { sql, type Kysely } from 'kysely';

/**
 * A job may belong to a group (`group_key`, e.g. `webhook:<endpointId>`): the claim starts a
 * group's jobs one at a time, across all workers and processes. The partial index holds the
 * running jobs that have a group, the only rows the claim's "is this group busy?" looks up; it
 * stays as small as the number of jobs in flight.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('group_key', 'text').execute();
  await db.schema
    .createIndex('jobs_running_group')
    .on('jobs')
    .column('group_key')
    .where(sql.ref('status'), '=', sql.lit('running'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_running_group').execute();
  await db.schema.alterTable('jobs').dropColumn('group_key').execute();
}
