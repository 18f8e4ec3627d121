import type { Kysely } from 'kysely';

/**
 * Locations (vestigingen, issue 10): the branches of a business as a first-class dimension. A
 * location has a name unique per organisation (folded: case and accents ignored) and is archived
 * rather than deleted, so answers that name it keep their meaning. Contacts carry their location;
 * an answer snapshots it (like owner and segment) when it is first stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('locations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    // Lower-case, accent-free name: the key imports and the uniqueness rule match on.
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('archived_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('locations_org_name')
    .on('locations')
    .columns(['organisation_id', 'name_key'])
    .unique()
    .execute();
  await db.schema.alterTable('contacts').addColumn('location_id', 'text').execute();
  await db.schema.alterTable('responses').addColumn('location_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('responses').dropColumn('location_id').execute();
  await db.schema.alterTable('contacts').dropColumn('location_id').execute();
  await db.schema.dropTable('locations').execute();
}
