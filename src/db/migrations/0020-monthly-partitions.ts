import { PostgresAdapter, type Kysely } from 'kysely';
import { MONTHLY_PARTITIONED_TABLES, partitionByMonth } from '../partitions.ts';

/**
 * Issue 13: on PostgreSQL, invitations and webhook deliveries become tables partitioned by month of
 * their UUIDv7 id (see src/db/partitions.ts for the design and for why answers, emails, jobs and
 * visits are not). Existing rows move into their month's partition. SQLite is left as it is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of MONTHLY_PARTITIONED_TABLES) await partitionByMonth(db, table, Date.now());
}
