/**
 * The columns of a visits import (issue 11), in the order a person thinks of them. Pure data, so
 * the admin app's import screen reads the same list as the server.
 *
 * - `customerNumber`, `email`, `phone`: which customer (matched in that order; at least one);
 * - `visitedAt`: the date (`28-11-2026`, `3-2-26`, `2026-11-28`, optionally with a time);
 * - `amount`: in euros (`12,50`, `1.234,56`, `€ 1.234,56`, or `12.50` in an English file);
 * - `kind` (APK, onderhoud, …), `location`, `status` (afgerond, geannuleerd, retour/creditnota);
 * - `externalId`: the visit's own number (werkorder, factuur): a second import updates it.
 */
export const VISIT_IMPORT_FIELDS = [
  'customerNumber',
  'email',
  'phone',
  'visitedAt',
  'amount',
  'kind',
  'location',
  'status',
  'externalId',
] as const;
export type VisitImportField = (typeof VISIT_IMPORT_FIELDS)[number];
