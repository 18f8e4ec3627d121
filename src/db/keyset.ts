import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Cursor, ListPage, Listed } from '../shared/cursor.ts';

/**
 * Keyset condition for lists ordered newest first on `(created_at, id)`. A row-value comparison,
 * which both SQLite (3.15+) and PostgreSQL support and which uses the `(org, created_at, id)` index.
 */
export function olderThan(cursor: Cursor, alias?: string): RawBuilder<boolean> {
  const created = sql.ref(alias ? `${alias}.created_at` : 'created_at');
  const id = sql.ref(alias ? `${alias}.id` : 'id');
  return sql<boolean>`(${created}, ${id}) < (${cursor.createdAt}, ${cursor.id})`;
}

/**
 * Lists a filtered query newest first on `(created_at, id)`, keyset-paged: `limit + 1` rows after
 * the cursor, and with `total` the count of every row the same filter matches (cursor not applied).
 * `alias` names the table when the query joins others.
 */
export async function keysetList<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: ListPage,
  alias?: string,
): Promise<Listed<O>> {
  const column = (name: string) => sql.ref(alias ? `${alias}.${name}` : name);
  const total = page.total ? await countRows(query) : undefined;
  const rows = await (page.cursor ? query.where(olderThan(page.cursor, alias)) : query)
    .orderBy(column('created_at'), 'desc')
    .orderBy(column('id'), 'desc')
    .limit(page.limit + 1)
    .execute();
  return { rows, total };
}

/** How many rows a filtered query matches (its selection and order dropped). */
export async function countRows<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
): Promise<number> {
  const row = (await query
    .clearSelect()
    .clearOrderBy()
    .select(sql<number | string>`count(*)`.as('total'))
    .executeTakeFirst()) as { total?: number | string } | undefined;
  // PostgreSQL's count is an int8, which may arrive as a string.
  return Number(row?.total ?? 0);
}
