import { openDatabase, type Db } from './database.ts';
import { migrateToLatest } from './migrate.ts';

/** Opens the database named by `DATABASE_URL` and brings it to the latest schema. */
export async function openConfiguredDatabase(config: { DATABASE_URL: string }): Promise<Db> {
  const db = await openDatabase(config.DATABASE_URL);
  await migrateToLatest(db);
  return db;
}
