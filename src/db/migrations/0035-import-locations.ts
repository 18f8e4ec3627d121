import type { Kysely } from 'kysely';

/**
 * A contact import names locations (vestigingen, issue 10): the owner's decision per location the
 * file names but Loyaal does not know (create, link to an existing one, leave empty), stored on the
 * import like the decisions about unknown account managers (migration 0013).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // JSON text: [{ value, action: 'create' | 'link' | 'empty', locationId? }].
  await db.schema.alterTable('imports').addColumn('location_resolutions', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('imports').dropColumn('location_resolutions').execute();
}
