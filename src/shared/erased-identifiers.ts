import { phoneKey } from '../domain/identity/identity.ts';
import { sha256 } from './ids.ts';

/**
 * What stays of an erased customer's identifiers (AVG/GDPR art. 17): not the customer number, email
 * address or phone number themselves, but a one-way fingerprint of each (SHA-256 over the
 * organisation and the normalised identifier). It lets Loyaal refuse a visit or purchase for an
 * erased customer by name — "this customer's data was erased" — instead of calling them unknown,
 * so their history does not silently grow again; it cannot be turned back into the identifier.
 */

export type Identifiers = Readonly<{
  externalId: string | null;
  email: string | null;
  phone: string | null;
}>;

/**
 * The form a phone number is fingerprinted in: a Dutch number's national digits (`0612345678`)
 * whether written `+31 6 1234 5678`, `0031612345678`, `06-12345678` or `+31 (0)6 1234 5678`; any
 * other number its international digits behind a `+` (`+32470123456`). Read through `phoneKey`,
 * the one phone normaliser, so this key and the contacts' stored `phone_key` agree.
 */
export function fingerprintPhone(phone: string): string | null {
  const key = phoneKey(phone);
  if (!key) return null;
  return key.startsWith('31') ? `0${key.slice(2)}` : `+${key}`;
}

/**
 * Forms a phone number was fingerprinted in before migration 0059, which kept the digits of a
 * number without a `+31`/`0031` prefix as typed: `00612345678` for `+31 (0)6 1234 5678`,
 * `31612345678` and `310612345678` for a Dutch number written without `+`, `612345678` for one
 * a spreadsheet stored as a number, `0044…`/`44…` for a foreign one. Looked for, never written.
 */
function legacyPhoneForms(phone: string): string[] {
  const key = phoneKey(phone);
  if (!key) return [];
  if (!key.startsWith('31')) return [`00${key}`, key];
  const rest = key.slice(2);
  return [`00${rest}`, key, `310${rest}`, rest];
}

/** The normalised identifiers, each with its kind: `customer:K-1`, `email:jan@x.nl`, `phone:06…`. */
export function identifierKeys(ids: Identifiers): string[] {
  const keys: string[] = [];
  const externalId = ids.externalId?.trim();
  if (externalId) keys.push(`customer:${externalId}`);
  const email = ids.email?.trim().toLowerCase();
  if (email) keys.push(`email:${email}`);
  const phone = ids.phone ? fingerprintPhone(ids.phone) : null;
  if (phone) keys.push(`phone:${phone}`);
  return keys;
}

/** The fingerprint stored for one identifier of one organisation. */
export function fingerprint(organisationId: string, key: string): string {
  return sha256(`${organisationId}\n${key}`);
}

/** The fingerprints of every identifier given: what an erasure stores. */
export function identifierFingerprints(organisationId: string, ids: Identifiers): string[] {
  return identifierKeys(ids).map((k) => fingerprint(organisationId, k));
}

/**
 * The fingerprints an erased customer's identifiers may be stored under: those of today's forms
 * and, for a phone number, those an erasure before migration 0059 wrote (fingerprints cannot be
 * recomputed, so the old forms are looked for as long as such rows may exist).
 */
export function lookupFingerprints(organisationId: string, ids: Identifiers): string[] {
  const legacy = ids.phone ? legacyPhoneForms(ids.phone).map((p) => `phone:${p}`) : [];
  return [...identifierKeys(ids), ...legacy].map((k) => fingerprint(organisationId, k));
}
