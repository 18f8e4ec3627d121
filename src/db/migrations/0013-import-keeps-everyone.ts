import type { Kysely } from 'kysely';

/**
 * An import that keeps every customer (issue 8): the owner's decision per unknown account manager
 * (create, link, leave empty), the count of rows without an email address (imported, but not
 * invitable by email), and the rejected rows as they were in the file, so they can be downloaded in
 * the file's own format, fixed in Excel and imported again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // JSON text: [{ value, action: 'create' | 'link' | 'empty', employeeId? }].
  await db.schema.alterTable('imports').addColumn('owner_resolutions', 'text').execute();
  await db.schema
    .alterTable('imports')
    .addColumn('without_email_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('import_rejected_rows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('import_id', 'text', (c) => c.notNull().references('imports.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('line', 'integer', (c) => c.notNull())
    // JSON text: the row's cells as read from the file, in column order.
    .addColumn('cells', 'text', (c) => c.notNull())
    // The row's email cell, lower-cased: erasure and export find a person's rows by it.
    .addColumn('email', 'text')
    .execute();
  await db.schema
    .createIndex('import_rejected_rows_import_line')
    .on('import_rejected_rows')
    .columns(['organisation_id', 'import_id', 'line'])
    .execute();
  await db.schema
    .createIndex('import_rejected_rows_email')
    .on('import_rejected_rows')
    .columns(['organisation_id', 'email'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('import_rejected_rows').execute();
  await db.schema.alterTable('imports').dropColumn('without_email_rows').execute();
  await db.schema.alterTable('imports').dropColumn('owner_resolutions').execute();
}
