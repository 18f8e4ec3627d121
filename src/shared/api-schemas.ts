import { z } from 'zod';

/**
 * Building blocks of response schemas (see "Response schemas" in ARCHITECTURE.md): presenters are
 * typed by `z.output<typeof schema>`, routes describe their answers with the same schemas.
 */

/** A point in time as the API writes it: ISO 8601 in UTC (`2026-11-01T09:00:00.000Z`). */
export const timestamp = z.iso.datetime().describe('ISO 8601, UTC');

/** A page of a keyset-paged list: its items, the cursor of the next page, the total on request. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `cursor` for the next page; null at the end'),
    total: z
      .number()
      .int()
      .optional()
      .describe('Items the filter matches, on every page; only with `?total=true`'),
  });
}

/** A list answered whole (small lists: members, API keys): `{ items }`. */
export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}
