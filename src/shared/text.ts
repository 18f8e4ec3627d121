/** Letters that Unicode does not decompose into a base letter plus accent. */
const FOLD: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * Folds text for search: lower case, accents removed ("Çelik" → "celik", "Zoë" → "zoe"), quotes
 * unified, whitespace collapsed. Stored in `search_text` columns and applied to the query, so search
 * behaves the same on SQLite and PostgreSQL without collations or extensions.
 */
export function foldForSearch(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæøœłđðþı]/g, (c) => FOLD[c] ?? c)
    .replace(/[\u2018\u2019\u201b\u0060\u00b4]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Builds the search key of a record from its searchable parts. */
export function searchText(parts: ReadonlyArray<string | null | undefined>): string {
  return foldForSearch(parts.filter((p): p is string => !!p).join(' '));
}

/** Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
