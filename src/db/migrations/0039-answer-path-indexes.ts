import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Two lookups every answer batch makes, keyed so that SQLite's planner takes the selective index
 * (issue 9/13, the answer path with the closed loop on). Without statistics SQLite prefers an
 * equality on `organisation_id` alone over a list of ids, so it walked every contact (or every case)
 * of the organisation once per batch:
 *
 * - the follow-up invitations among a batch's answers: `cases (organisation_id,
 *   follow_up_invitation_id)` replaces the index on `follow_up_invitation_id` alone (both
 *   databases; every lookup of it carries the organisation);
 * - the contacts of a batch's answers: a unique `contacts (organisation_id, id)` on SQLite.
 *   PostgreSQL already has that key (the tenant rule, `contacts_org_key`) and its planner has
 *   statistics.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('cases_org_follow_up')
    .on('cases')
    .columns(['organisation_id', 'follow_up_invitation_id'])
    .execute();
  await db.schema.dropIndex('cases_follow_up_invitation').execute();
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    await sql`create unique index contacts_org_id on contacts (organisation_id, id)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    await db.schema.dropIndex('contacts_org_id').execute();
  }
  await db.schema
    .createIndex('cases_follow_up_invitation')
    .on('cases')
    .column('follow_up_invitation_id')
    .execute();
  await db.schema.dropIndex('cases_org_follow_up').execute();
}
