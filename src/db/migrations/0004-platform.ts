import type { Kysely } from 'kysely';

/**
 * The platform of the second wave: a dedupe key on jobs, so scheduled work (the daily retention
 * run, and later digests and escalations) is enqueued once per due moment however many workers
 * see it come due.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('dedupe_key', 'text').execute();
  await db.schema.createIndex('jobs_dedupe_key').on('jobs').column('dedupe_key').unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_dedupe_key').execute();
  await db.schema.alterTable('jobs').dropColumn('dedupe_key').execute();
}
