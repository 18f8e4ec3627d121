import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.ts';
import * as m0001 from './migrations/0001-foundation.ts';
import * as m0002 from './migrations/0002-nps-loop.ts';
import * as m0003 from './migrations/0003-invitation-delivery.ts';

/**
 * Migrations are listed in code rather than discovered on disk, so the bundle, the tests and the
 * CLI always run the same ordered set on both dialects.
 */
const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-nps-loop': m0002,
  '0003-invitation-delivery': m0003,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
