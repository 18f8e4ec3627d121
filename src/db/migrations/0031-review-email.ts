import type { Kysely } from 'kysely';

/**
 * The review-request email (issue 12). `review_settings.email_after_hours`: how many hours after
 * an answer the email goes (null: no email; 24 for organisations that never said). One row in
 * `review_requests` per answer that was emailed — at most one per answer (unique), the record the
 * once-a-year rule per contact reads — with the 256-bit token of its one-click unsubscribe, which
 * stops review requests only (`unsubscribed_at`), never the NPS surveys.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('review_settings')
    .addColumn('email_after_hours', 'integer', (c) => c.defaultTo(24))
    .execute();
  await db.schema
    .createTable('review_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    // The answer it follows; cleared by retention once the answer is past the retention period.
    .addColumn('response_id', 'text')
    // The one-click unsubscribe link's credential (`/rv/:token/unsubscribe`), as invitation tokens.
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // Set when a mail server took it; mail kept in the local outbox is never counted as sent.
    .addColumn('sent_at', 'bigint')
    .addColumn('unsubscribed_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('review_requests_once_per_answer')
    .on('review_requests')
    .columns(['organisation_id', 'response_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('review_requests_contact')
    .on('review_requests')
    .columns(['organisation_id', 'contact_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('review_requests').execute();
  await db.schema.alterTable('review_settings').dropColumn('email_after_hours').execute();
}
