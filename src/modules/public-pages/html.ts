/**
 * Minimal HTML building for server-rendered public pages and emails. Every value that reaches a
 * page or an email goes through `escapeHtml` (text and attribute values alike), so a contact's
 * name, a (customised) survey text, a URL or a comment can never inject markup.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in element content and in double- or single-quoted attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Joins template parts, dropping `false`/`null`/`undefined` so conditional fragments read inline. */
export function html(parts: ReadonlyArray<string | false | null | undefined>): string {
  return parts.filter((p): p is string => typeof p === 'string').join('');
}
