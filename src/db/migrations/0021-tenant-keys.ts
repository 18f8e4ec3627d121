import type { Kysely } from 'kysely';
import { enforceTenantKeys } from '../tenant-keys.ts';

/**
 * Issue 13, tenant-movable: on PostgreSQL, organisation_id in a unique key of every tenant table and
 * no foreign key across organisations (src/db/tenant-keys.ts). SQLite is left as it is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await enforceTenantKeys(db);
}
