import type { Executor } from '../../db/database.ts';
import type { LogoTable } from '../../db/schema.ts';

export async function insertLogo(db: Executor, row: LogoTable): Promise<void> {
  await db.insertInto('logos').values(row).execute();
}

/** A logo by its id, for the public image route (the id is in every email that shows it). */
export async function findLogo(
  db: Executor,
  id: string,
): Promise<Pick<LogoTable, 'content_type' | 'bytes'> | undefined> {
  return db
    .selectFrom('logos')
    .select(['content_type', 'bytes'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Removes the organisation's older logos; emails already sent keep showing the current one. */
export async function deleteLogosExcept(
  db: Executor,
  organisationId: string,
  keepId: string | null,
): Promise<void> {
  let q = db.deleteFrom('logos').where('organisation_id', '=', organisationId);
  if (keepId) q = q.where('id', '<>', keepId);
  await q.execute();
}
