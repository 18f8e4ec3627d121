import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Rate-limit counters shared by every app process (issue 13): a login limit that each of three
 * processes counted on its own allowed three times the attempts. One row per limited key and
 * window; the key is a SHA-256 digest, so no client address is stored. On PostgreSQL the table is
 * UNLOGGED: counters need no crash safety (a restart forgives a few attempts), and an unlogged
 * table writes no WAL, which keeps the hot upsert cheap and keeps it off streaming replicas.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await sql`create ${postgres ? sql`unlogged ` : sql``}table rate_limits (
    key text primary key,
    count integer not null,
    window_start bigint not null,
    expires_at bigint not null
  )`.execute(db);
  await db.schema
    .createIndex('rate_limits_expires')
    .on('rate_limits')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
