import { PostgresAdapter, type Kysely } from 'kysely';
import { partitionByMonth } from '../partitions.ts';

/**
 * Issue 13: on PostgreSQL, invitations and webhook deliveries become tables partitioned by month of
 * their UUIDv7 id (see src/db/partitions.ts for the design and for why answers, emails, jobs and
 * visits are not). Existing rows move into their month's partition. SQLite is left as it is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  // Its own list: answers followed later (migration 0048).
  for (const table of ['invitations', 'webhook_deliveries']) {
    await partitionByMonth(db, table, Date.now());
  }
}
