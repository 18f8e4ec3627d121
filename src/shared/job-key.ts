import { sha256 } from './ids.ts';

/** A value with every object's fields in name order, so equal JSON compares equal as text. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, field]) => [name, sorted(field)]),
  );
}

/**
 * The key of a job's payload, stored beside it (`jobs.payload_key`, migration 0069) so "try again"
 * finds a mail's job by an index instead of parsing every job of its type: a SHA-256 digest of the
 * payload's fields in name order, so a payload written with its fields in another order or other
 * spacing has the same key, and the index holds a fixed-size value whatever the payload's size.
 */
export function jobKeyOf(fields: Readonly<Record<string, unknown>>): string {
  return sha256(JSON.stringify(sorted(fields)));
}

/** `jobKeyOf` a payload's JSON text; null when it is not a JSON object (never found by key). */
export function payloadKeyOf(payload: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  return jobKeyOf(parsed as Record<string, unknown>);
}
