import type { Executor } from '../../db/database.ts';
import type { LocationTable } from '../../db/schema.ts';

export const LOCATION_COLUMNS = ['id', 'name', 'archived_at', 'created_at', 'updated_at'] as const;
export type LocationRow = Pick<LocationTable, (typeof LOCATION_COLUMNS)[number]>;

/** The organisation's locations by name (archived ones too when asked): a short list. */
export async function listLocations(
  db: Executor,
  organisationId: string,
  opts: { archived: boolean },
): Promise<LocationRow[]> {
  let q = db
    .selectFrom('locations')
    .select(LOCATION_COLUMNS)
    .where('organisation_id', '=', organisationId);
  if (!opts.archived) q = q.where('archived_at', 'is', null);
  return q.orderBy('name_key').orderBy('id').execute();
}

export async function findLocation(
  db: Executor,
  organisationId: string,
  id: string,
): Promise<LocationRow | undefined> {
  return db
    .selectFrom('locations')
    .select(LOCATION_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The location with this folded name (archived or not), if any. */
export async function findLocationByKey(
  db: Executor,
  organisationId: string,
  nameKey: string,
): Promise<(LocationRow & { name_key: string }) | undefined> {
  return db
    .selectFrom('locations')
    .select([...LOCATION_COLUMNS, 'name_key'])
    .where('organisation_id', '=', organisationId)
    .where('name_key', '=', nameKey)
    .executeTakeFirst();
}

export async function insertLocation(db: Executor, row: LocationTable): Promise<void> {
  await db.insertInto('locations').values(row).execute();
}

export async function updateLocation(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<Pick<LocationTable, 'name' | 'name_key' | 'archived_at' | 'updated_at'>>,
): Promise<void> {
  await db
    .updateTable('locations')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

/** Names of locations by id (for breakdowns and exports). */
export async function locationNames(
  db: Executor,
  organisationId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await db
      .selectFrom('locations')
      .select(['id', 'name'])
      .where('organisation_id', '=', organisationId)
      .where('id', 'in', chunk)
      .execute();
    for (const r of rows) names.set(r.id, r.name);
  }
  return names;
}
