/**
 * What the owner decided for a name the file uses but Loyaal does not know — an account manager
 * (owner-resolutions.ts), a location (location-resolutions.ts): create it, link the name to an
 * existing record (its id under `IdField`), or import the rows without it. Stored on the import as
 * JSON, applied by the next validation and by the commit, which creates what is to be created in
 * its own transaction.
 */
export type NameResolution<IdField extends string> =
  | { value: string; action: 'create' }
  | ({ value: string; action: 'link' } & { [K in IdField]: string })
  | { value: string; action: 'empty' };

/** Reads stored decisions defensively: a damaged value counts as none. */
export function parseNameResolutions<IdField extends string>(
  json: string | null,
  idField: IdField,
): NameResolution<IdField>[] {
  if (json === null) return [];
  try {
    const v = JSON.parse(json) as unknown;
    if (!Array.isArray(v)) return [];
    return v.filter(
      (r): r is NameResolution<IdField> =>
        typeof r === 'object' &&
        r !== null &&
        typeof (r as { value?: unknown }).value === 'string' &&
        ['create', 'link', 'empty'].includes(String((r as { action?: unknown }).action)) &&
        ((r as { action: string }).action !== 'link' ||
          typeof (r as Record<string, unknown>)[idField] === 'string'),
    );
  } catch {
    return [];
  }
}

/** Earlier decisions with the new ones on top: one decision per name (by `keyOf`). */
export function mergeNameResolutions<R extends { value: string }>(
  earlier: readonly R[],
  next: readonly R[],
  keyOf: (value: string) => string,
): R[] {
  const byKey = new Map<string, R>();
  for (const r of [...earlier, ...next]) byKey.set(keyOf(r.value), r);
  return [...byKey.values()];
}
