import type { Executor } from '../../db/database.ts';
import type { ApiKeyTable } from '../../db/schema.ts';

export const API_KEY_COLUMNS = [
  'id',
  'name',
  'prefix',
  'role',
  'created_by',
  'created_at',
  'last_used_at',
  'revoked_at',
] as const;

export async function insertApiKey(db: Executor, row: ApiKeyTable): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

export async function listApiKeys(db: Executor, organisationId: string) {
  return db
    .selectFrom('api_keys')
    .select(API_KEY_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeApiKey(
  db: Executor,
  organisationId: string,
  id: string,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function findApiKey(db: Executor, organisationId: string, id: string) {
  return db
    .selectFrom('api_keys')
    .select(API_KEY_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}
