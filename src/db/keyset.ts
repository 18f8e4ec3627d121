import { sql, type RawBuilder } from 'kysely';
import type { Cursor } from '../shared/cursor.ts';

/**
 * Keyset condition for lists ordered newest first on `(created_at, id)`. A row-value comparison,
 * which both SQLite (3.15+) and PostgreSQL support and which uses the `(org, created_at, id)` index.
 */
export function olderThan(cursor: Cursor, alias?: string): RawBuilder<boolean> {
  const created = sql.ref(alias ? `${alias}.created_at` : 'created_at');
  const id = sql.ref(alias ? `${alias}.id` : 'id');
  return sql<boolean>`(${created}, ${id}) < (${cursor.createdAt}, ${cursor.id})`;
}
