import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { timestamp } from '../../shared/api-schemas.ts';
import { conflict } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { foldForSearch } from '../../shared/text.ts';
import { iso } from '../../shared/time.ts';
import type { Actor } from '../auth/actor.ts';
import {
  archiveChange,
  changeRecord,
  createRecord,
  found,
} from '../named-records/named-record.service.ts';
import * as repo from './locations.repository.ts';

const name = z.string().trim().min(1).max(100);

export const locationSchema = z.strictObject({ name });
export const updateLocationSchema = z.strictObject({
  name: name.optional(),
  /** true archives (kept for the answers that name it, no longer offered), false restores. */
  archived: z.boolean().optional(),
});
export const listLocationsSchema = z.strictObject({
  archived: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .describe('true: archived locations too'),
});

export const locationJsonSchema = z.object({
  id: z.string(),
  name: z.string(),
  archived: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type LocationJson = z.output<typeof locationJsonSchema>;

/** The key a location's name is unique on and imports match: case and accents ignored. */
export const locationKey = (value: string): string => foldForSearch(value);

export function presentLocation(row: repo.LocationRow): LocationJson {
  return {
    id: row.id,
    name: row.name,
    archived: row.archived_at !== null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export async function listLocations(
  db: Executor,
  actor: Actor,
  input: z.infer<typeof listLocationsSchema>,
) {
  const rows = await repo.listLocations(db, actor.organisationId, { archived: input.archived });
  return { items: rows.map(presentLocation) };
}

async function requireFreeName(db: Executor, organisationId: string, key: string, self?: string) {
  const existing = await repo.findLocationByKey(db, organisationId, key);
  if (existing && existing.id !== self) throw conflict({ field: 'name', problem: 'taken' });
}

export async function createLocation(
  db: Executor,
  actor: Actor,
  input: z.infer<typeof locationSchema>,
  now: number,
): Promise<LocationJson> {
  const key = locationKey(input.name);
  await requireFreeName(db, actor.organisationId, key);
  const row = {
    id: newId(),
    organisation_id: actor.organisationId,
    name: input.name,
    name_key: key,
    archived_at: null,
    created_at: now,
    updated_at: now,
  };
  return presentLocation(await createRecord(db, actor, 'location', row, repo.insertLocation, now));
}

/** Renames, archives or restores a location. Answers keep pointing at it whatever its name. */
export async function updateLocation(
  db: Executor,
  actor: Actor,
  id: string,
  input: z.infer<typeof updateLocationSchema>,
  now: number,
): Promise<LocationJson> {
  const current = found(await repo.findLocation(db, actor.organisationId, id), 'location');
  const { verb, ...archive } = archiveChange(current, input.archived, now);
  const patch: Parameters<typeof repo.updateLocation>[3] = { ...archive, updated_at: now };
  if (input.name !== undefined && input.name !== current.name) {
    const key = locationKey(input.name);
    await requireFreeName(db, actor.organisationId, key, id);
    patch.name = input.name;
    patch.name_key = key;
  }
  await changeRecord(
    db,
    actor,
    { entity: 'location', id, verb },
    () => repo.updateLocation(db, actor.organisationId, id, patch),
    now,
  );
  return presentLocation({ ...current, ...patch });
}
