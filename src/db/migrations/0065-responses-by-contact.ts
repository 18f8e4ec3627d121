import type { Kysely } from 'kysely';

/**
 * A contact's answers in order, `order by answered_at, id` (the export, and the latest answer that
 * is a contact's loyalty origin). `(organisation_id, contact_id, answered_at)` left the tie-break
 * to a sort, and SQLite, which keeps no statistics here, then preferred to walk the organisation's
 * answers by time (`responses_org_answered`), whose order is exactly that, and filter on the
 * contact: every answer of the organisation to list one customer's few. With `id` in the contact
 * index, its order is complete too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('responses_org_contact_answered')
    .on('responses')
    .columns(['organisation_id', 'contact_id', 'answered_at', 'id'])
    .execute();
  await db.schema.dropIndex('responses_org_contact').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('responses_org_contact')
    .on('responses')
    .columns(['organisation_id', 'contact_id', 'answered_at'])
    .execute();
  await db.schema.dropIndex('responses_org_contact_answered').execute();
}
