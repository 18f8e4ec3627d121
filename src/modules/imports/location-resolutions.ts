import { locationKey } from '../locations/locations.service.ts';
import {
  mergeNameResolutions,
  parseNameResolutions,
  type NameResolution,
} from './name-resolutions.ts';

/**
 * What the owner decided for a location (`Vestiging`) the file names but Loyaal does not know:
 * create it, link the name to an existing location, or import the rows without a location — the
 * same choice as for an unknown account manager (owner-resolutions.ts).
 */
export type LocationResolution = NameResolution<'locationId'>;

/** Reads the stored decisions defensively: a damaged value counts as none. */
export function parseLocationResolutions(json: string | null): LocationResolution[] {
  return parseNameResolutions(json, 'locationId');
}

/** Earlier decisions with the new ones on top: one decision per name (case and accents ignored). */
export function mergeLocationResolutions(
  earlier: readonly LocationResolution[],
  next: readonly LocationResolution[],
): LocationResolution[] {
  return mergeNameResolutions(earlier, next, locationKey);
}
