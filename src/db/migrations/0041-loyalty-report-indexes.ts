import type { Kysely } from 'kysely';

/**
 * The loyalty report's earned growth per month (issue 11, bench) reads the organisation's revenue
 * per month as a range of the time index: carrying status and amount, that range is answered from
 * the index alone. It replaces `visits_org_time`, whose every use it covers (same leading columns).
 * The customers new in a month are found among the loyalty facts by their first visit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('visits_org_time_amount')
    .ifNotExists()
    .on('visits')
    .columns(['organisation_id', 'visited_at', 'status', 'amount_cents'])
    .execute();
  await db.schema.dropIndex('visits_org_time').ifExists().execute();
  await db.schema
    .createIndex('loyalty_contact_facts_first_visit')
    .on('loyalty_contact_facts')
    .columns(['organisation_id', 'first_visit_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('loyalty_contact_facts_first_visit').execute();
  await db.schema
    .createIndex('visits_org_time')
    .ifNotExists()
    .on('visits')
    .columns(['organisation_id', 'visited_at'])
    .execute();
  await db.schema.dropIndex('visits_org_time_amount').ifExists().execute();
}
