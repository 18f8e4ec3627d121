import type { Kysely } from 'kysely';

/**
 * The loyalty report reads every followed contact's visits in one pass (issue 11, bench): an index
 * on (organisation, contact, time) that also carries status and amount answers that pass from the
 * index alone, without visiting a million table rows. It replaces the narrower
 * `visits_org_contact_time`, whose every use it covers (same leading columns), so a visit write
 * still maintains one contact index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('visits_org_contact_facts')
    .ifNotExists()
    .on('visits')
    .columns(['organisation_id', 'contact_id', 'visited_at', 'status', 'amount_cents'])
    .execute();
  await db.schema.dropIndex('visits_org_contact_time').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('visits_org_contact_time')
    .ifNotExists()
    .on('visits')
    .columns(['organisation_id', 'contact_id', 'visited_at'])
    .execute();
  await db.schema.dropIndex('visits_org_contact_facts').ifExists().execute();
}
