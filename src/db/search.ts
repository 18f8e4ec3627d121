import { sql, type RawBuilder } from 'kysely';
import { escapeLike, foldForSearch } from '../shared/text.ts';

/**
 * Conditions for a free-text search over a `search_text` column: every word of the query must occur,
 * case and accents ignored ("celik" finds "Çelik"), identically on SQLite and PostgreSQL.
 */
export function searchConditions(
  query: string | undefined,
  column = 'search_text',
): RawBuilder<boolean>[] {
  if (!query) return [];
  return foldForSearch(query)
    .split(' ')
    .filter(Boolean)
    .slice(0, 5)
    .map(
      (term) => sql<boolean>`${sql.ref(column)} like ${'%' + escapeLike(term) + '%'} escape '\\'`,
    );
}
