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

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Turns `limit + 1` fetched rows into a page and the cursor of its last row. */
export function toPage<R extends { created_at: number; id: string }, T>(
  rows: R[],
  limit: number,
  present: (row: R) => T,
): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return {
    items: items.map(present),
    nextCursor: more && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}
