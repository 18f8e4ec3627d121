import { openDatabase, type Db } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { pendingPartitionings } from './partitions.ts';

/**
 * Opens the database named by `DATABASE_URL` and brings it to the latest schema. A long-running
 * process (the server, a worker) asks for `backgroundCheckpoint` (SQLite; see database.ts).
 */
export async function openConfiguredDatabase(
  config: { DATABASE_URL: string; DATABASE_POOL_SIZE?: number },
  options: { backgroundCheckpoint?: boolean } = {},
): Promise<Db> {
  const db = await openDatabase(config.DATABASE_URL, {
    ...(config.DATABASE_POOL_SIZE ? { poolSize: config.DATABASE_POOL_SIZE } : {}),
    ...options,
  });
  await migrateToLatest(db);
  for (const table of await pendingPartitionings(db.kysely)) {
    console.warn(
      `${table} is not partitioned by month yet (too large to copy at start): run \`loyaal migrate\``,
    );
  }
  return db;
}
