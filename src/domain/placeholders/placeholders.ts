/**
 * Placeholders in survey texts. The database holds canonical names (`{organisation}`,
 * `{employee}`, `{firstName}`); people write and read them in their own language: `{bedrijf}`,
 * `{accountmanager}`, `{voornaam}` in Dutch, `{company}`, `{accountmanager}`, `{firstname}` in
 * English. The admin app shows the names of its interface language; the API accepts all of them.
 * Pure, shared by the server and the admin app.
 */
export type PlaceholderLocale = 'nl' | 'en';

export const PLACEHOLDER_NAMES = {
  organisation: { nl: 'bedrijf', en: 'company' },
  employee: { nl: 'accountmanager', en: 'accountmanager' },
  firstName: { nl: 'voornaam', en: 'firstname' },
} as const;

export type CanonicalPlaceholder = keyof typeof PLACEHOLDER_NAMES;

const CANONICAL = Object.keys(PLACEHOLDER_NAMES) as CanonicalPlaceholder[];

/** `{bedrijf}`, `{Company}`, `{voornaam}`, … → `{organisation}`, `{firstName}`, … (any case). */
export function canonicalPlaceholders(text: string): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (match, name: string) => {
    const lower = name.toLowerCase();
    const canonical = CANONICAL.find(
      (c) =>
        c.toLowerCase() === lower ||
        PLACEHOLDER_NAMES[c].nl === lower ||
        PLACEHOLDER_NAMES[c].en === lower,
    );
    return canonical ? `{${canonical}}` : match;
  });
}

/** `{organisation}` → `{bedrijf}` for a Dutch reader, `{company}` for an English one. */
export function displayPlaceholders(text: string, locale: PlaceholderLocale): string {
  return canonicalPlaceholders(text).replace(/\{([A-Za-z]+)\}/g, (match, name: string) =>
    name in PLACEHOLDER_NAMES
      ? `{${PLACEHOLDER_NAMES[name as CanonicalPlaceholder][locale]}}`
      : match,
  );
}
