import { AppError } from './errors.ts';

/**
 * Keyset pagination over `(created_at, id)`. The cursor is opaque to clients (base64url JSON) and
 * names the last row of the previous page, so pages never skip or repeat rows while data changes.
 */
export interface Cursor {
  createdAt: number;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');
}

export function decodeCursor(value: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      Number.isSafeInteger(parsed[0]) &&
      typeof parsed[1] === 'string' &&
      parsed[1].length <= 64
    ) {
      return { createdAt: parsed[0] as number, id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw new AppError('validation_failed', {
    issues: [{ field: 'cursor', problem: 'invalid_cursor' }],
  });
}

/** One page of rows as a repository lists them: `limit + 1` rows, and the total when asked. */
export interface Listed<R> {
  rows: R[];
  /** Rows matching the filter on every page (only when the caller asked for it). */
  total?: number | undefined;
}

export interface ListPage {
  limit: number;
  cursor?: Cursor | undefined;
  /** Count every row the filter matches as well (one `count(*)` over the same conditions). */
  total?: boolean | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** Every item the filter matches, on request (`?total=true`). */
  total?: number;
}

/** Turns `limit + 1` listed rows into a page, the cursor of its last row, and the total if counted. */
export function toPage<R extends { created_at: number; id: string }, T>(
  listed: Listed<R>,
  limit: number,
  present: (row: R) => T,
): Page<T> {
  const { rows, total } = listed;
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return {
    items: items.map(present),
    nextCursor: more && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
    ...(total !== undefined ? { total } : {}),
  };
}

/** A list request's paging, as parsed from `?limit=&cursor=&total=`. */
export function pageRequest(input: {
  limit: number;
  cursor?: string | undefined;
  total?: boolean | undefined;
}): ListPage {
  return {
    limit: input.limit,
    cursor: input.cursor ? decodeCursor(input.cursor) : undefined,
    total: input.total,
  };
}
