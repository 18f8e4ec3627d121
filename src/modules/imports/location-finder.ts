import type { Executor } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import * as locations from '../locations/locations.repository.ts';
import { locationKey } from '../locations/locations.service.ts';
import type { LocationResolution } from './location-resolutions.ts';
import type { LocationMatch } from './row-validation.ts';

/** A location's name as long as the locations API allows it. */
const MAX_NAME = 100;

/**
 * Resolves `Vestiging` cells for one pass over a file: a name matches a location of the
 * organisation that is not archived (case and accents ignored; names are unique); a name that
 * matches none follows the owner's decision for it (see location-resolutions.ts), else it is
 * unknown. Validation writes nothing, so there a name to create counts as resolved (to no location
 * yet). The commit, in its transaction, creates those locations — or restores an archived one of
 * that name, since names stay unique — so the locations and the contacts naming them are written
 * together or not at all.
 */
export async function locationFinder(
  db: Executor,
  organisationId: string,
  opts: { resolutions: readonly LocationResolution[]; write: boolean; now: number },
): Promise<(value: string) => LocationMatch> {
  const all = await locations.listLocations(db, organisationId, { archived: true });
  const byKey = new Map(all.map((l) => [locationKey(l.name), l]));
  const active = new Set(all.filter((l) => l.archived_at === null).map((l) => l.id));
  const decided = new Map<string, string | null>();
  for (const r of opts.resolutions) {
    const key = locationKey(r.value);
    if (r.action === 'empty') decided.set(key, null);
    else if (r.action === 'link') {
      if (active.has(r.locationId)) decided.set(key, r.locationId);
    } else if (!opts.write) {
      decided.set(key, null);
    } else {
      decided.set(
        key,
        await createOrRestore(db, organisationId, r.value, byKey.get(key), opts.now),
      );
    }
  }
  return (value) => {
    const key = locationKey(value);
    const known = byKey.get(key);
    if (known && known.archived_at === null) return { id: known.id };
    return decided.has(key) ? { id: decided.get(key) ?? null } : 'unknown';
  };
}

async function createOrRestore(
  db: Executor,
  organisationId: string,
  value: string,
  existing: locations.LocationRow | undefined,
  now: number,
): Promise<string> {
  if (existing) {
    if (existing.archived_at !== null) {
      await locations.updateLocation(db, organisationId, existing.id, {
        archived_at: null,
        updated_at: now,
      });
    }
    return existing.id;
  }
  const name = value.trim().slice(0, MAX_NAME);
  const id = newId();
  await locations.insertLocation(db, {
    id,
    organisation_id: organisationId,
    name,
    name_key: locationKey(name),
    archived_at: null,
    created_at: now,
    updated_at: now,
  });
  return id;
}
