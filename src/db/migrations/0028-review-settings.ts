import type { Kysely } from 'kysely';

/**
 * Review requests (issue 12): per organisation the review sites its customers are sent to and
 * whether the thank-you page asks. One row per organisation (organisation_id is the key), no
 * personal data.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('review_settings')
    .addColumn('organisation_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    // JSON text: [{ kind, url, label }] (domain/reviews/review-sites.ts).
    .addColumn('sites', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('ask_on_thanks', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('review_settings').execute();
}
