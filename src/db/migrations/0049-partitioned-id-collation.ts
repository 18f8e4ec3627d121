import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * PostgreSQL only. The ids of the monthly partitioned tables (invitations, webhook deliveries,
 * answers: src/db/partitions.ts) are collated "C", so that the partition bounds compare as the
 * hexadecimal text they are. The columns that hold those ids in other tables kept the database's
 * default collation, and PostgreSQL cannot use an index on a "C" column for an equality with a
 * column of another collation: a join such as `responses.invitation_id = invitations.id` became a
 * scan of every invitation. At 1,000,000 answers one answer POST took 0.55–1.1 s instead of ~5 ms.
 * Every such column is collated "C" too (test/scale/partitions.test.ts checks them by name). The ids
 * are lower-case hexadecimal and hyphens, which sort the same under every collation, so no order or
 * comparison changes. SQLite has one collation (BINARY) and needs nothing.
 */
export const COLUMNS_HOLDING_PARTITIONED_IDS = [
  ['responses', 'invitation_id'],
  ['emails', 'invitation_id'],
  ['visits', 'invitation_id'],
  ['cases', 'response_id'],
  ['cases', 'follow_up_invitation_id'],
  ['case_responses', 'response_id'],
  ['review_requests', 'response_id'],
  ['ambassadors', 'response_id'],
  ['webhook_attempts', 'delivery_id'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const [table, column] of COLUMNS_HOLDING_PARTITIONED_IDS) {
    await sql`alter table ${sql.id(table)} alter column ${sql.id(column)}
      type text collate "C"`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const [table, column] of COLUMNS_HOLDING_PARTITIONED_IDS) {
    await sql`alter table ${sql.id(table)} alter column ${sql.id(column)}
      type text collate "default"`.execute(db);
  }
}
