import type { Kysely } from 'kysely';

/**
 * Visits and purchases (issue 11): what customers actually did, so Loyaal can ask after a visit and
 * check whether the customers who say they are loyal come back.
 *
 * - `visits`: one row per workshop job, order or invoice; `external_id` (the workshop system's
 *   number) makes imports and API posts idempotent. Amounts are integer cents; a refund is negative.
 *   The invitation columns say what the visit trigger did with it (invited, or skipped and why).
 * - `visit_triggers`: "invite N days after a visit of kind X" for one survey per organisation.
 * - `visit_request_keys`: the answer to a request with an `Idempotency-Key`, returned again when the
 *   same key comes back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('external_id', 'text')
    .addColumn('visited_at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text')
    .addColumn('kind_key', 'text')
    .addColumn('location', 'text')
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('invitation_status', 'text')
    .addColumn('invitation_id', 'text')
    .addColumn('skip_reason', 'text')
    // The reason in the organisation's language when it was decided ("asked 7 days ago — …").
    .addColumn('skip_detail', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('visits_org_external')
    .on('visits')
    .columns(['organisation_id', 'external_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('visits_org_contact_time')
    .on('visits')
    .columns(['organisation_id', 'contact_id', 'visited_at'])
    .execute();
  await db.schema
    .createIndex('visits_org_time')
    .on('visits')
    .columns(['organisation_id', 'visited_at'])
    .execute();

  await db.schema
    .createTable('visit_triggers')
    .addColumn('organisation_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('survey_id', 'text', (c) => c.notNull().references('surveys.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    // JSON array of kind keys; empty means every kind.
    .addColumn('kinds', 'text', (c) => c.notNull())
    .addColumn('delay_days', 'integer', (c) => c.notNull())
    .addColumn('send_at_minute', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('visit_request_keys')
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('visit_request_keys_pk', ['organisation_id', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('visit_request_keys').execute();
  await db.schema.dropTable('visit_triggers').execute();
  await db.schema.dropTable('visits').execute();
}
