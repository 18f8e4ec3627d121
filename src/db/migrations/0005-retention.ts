import type { Kysely } from 'kysely';

/**
 * Retention (storage limitation): when an answer older than the organisation's retention period was
 * anonymised. Its score, category and snapshots stay, so the figures do not change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('responses').addColumn('anonymised_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('responses').dropColumn('anonymised_at').execute();
}
