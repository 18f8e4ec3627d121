import { sql, type Kysely } from 'kysely';

/**
 * The outbox filters an organisation's emails by kind and by status, newest first
 * (`GET /api/v1/outbox?kind=&status=`). The only index to serve that order was
 * `(organisation_id, created_at, id)`, so a filter on a rare kind or on `failed` read the
 * organisation's emails newest first until it had a page — in a large organisation, most of them.
 * These indexes hold the filter's column before the list's order, so a filtered page is one range
 * scan in index order:
 * - by kind, every email;
 * - by status, only the emails not `sent` (nearly every email is sent; a filter on `sent` is served
 *   by the organisation's index as before). The predicate is a literal, as SQLite requires of a
 *   partial index, and the list names it as written (emails.repository.ts) so SQLite, which does
 *   not infer `status <> 'sent'` from `status = 'failed'`, may use the index.
 * On PostgreSQL they are made on the partitioned table and so on every monthly partition.
 *
 * The outbox's "try again" finds the mail's job by organisation, type and the fields of its payload
 * (`retryJobNow`, jobs.repository.ts), and read every job of the organisation to do so; jobs are
 * now found by `(organisation_id, type, status)`: the organisation's jobs of that type still
 * waiting or given up, whose payloads are then parsed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('emails_org_kind_created')
    .on('emails')
    .columns(['organisation_id', 'kind', 'created_at', 'id'])
    .execute();
  await sql`create index emails_org_unsent_status_created on emails
    (organisation_id, status, created_at, id) where status <> 'sent'`.execute(db);
  await db.schema
    .createIndex('jobs_org_type_status')
    .on('jobs')
    .columns(['organisation_id', 'type', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('jobs_org_type_status').execute();
  await db.schema.dropIndex('emails_org_unsent_status_created').execute();
  await db.schema.dropIndex('emails_org_kind_created').execute();
}
