import { openDatabase, type Db } from './database.ts';
import { migrateToLatest } from './migrate.ts';

/** Opens the database named by `DATABASE_URL` and brings it to the latest schema. */
export async function openConfiguredDatabase(config: {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE?: number;
}): Promise<Db> {
  const db = await openDatabase(
    config.DATABASE_URL,
    config.DATABASE_POOL_SIZE ? { poolSize: config.DATABASE_POOL_SIZE } : {},
  );
  await migrateToLatest(db);
  return db;
}
