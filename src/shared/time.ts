/** Timestamps are integer milliseconds in the database and ISO 8601 strings in every JSON shape. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
