import type { Kysely } from 'kysely';

/**
 * One import wizard for more than one kind of row (issue 11): an import says what its rows are
 * (`contacts`, the default for every earlier import, or `visits`), keeps the answers the person
 * gave to questions about the file (the decimal separator of a file whose amounts read two ways),
 * and the open question itself while it waits for an answer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('imports')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('contacts'))
    .execute();
  // JSON text: { decimal?: 'comma' | 'point' }.
  await db.schema.alterTable('imports').addColumn('options', 'text').execute();
  // JSON text: the question validation stopped at, e.g. { kind: 'decimal', status, examples }.
  await db.schema.alterTable('imports').addColumn('question', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('imports').dropColumn('question').execute();
  await db.schema.alterTable('imports').dropColumn('options').execute();
  await db.schema.alterTable('imports').dropColumn('kind').execute();
}
