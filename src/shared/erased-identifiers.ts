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
 * A phone number's national digits: `+31 6 1234 5678`, `0031612345678` and `06-12345678` are one
 * number (`0612345678`); a number without a Dutch prefix keeps its digits (and a leading +).
 */
export function nationalPhone(phone: string): string {
  const digits = phone.replace(/[^0-9+]/g, '');
  if (digits.startsWith('+31')) return `0${digits.slice(3)}`;
  if (digits.startsWith('0031')) return `0${digits.slice(4)}`;
  return digits;
}

/** The normalised identifiers, each with its kind: `customer:K-1`, `email:jan@x.nl`, `phone:06…`. */
export function identifierKeys(ids: Identifiers): string[] {
  const keys: string[] = [];
  const externalId = ids.externalId?.trim();
  if (externalId) keys.push(`customer:${externalId}`);
  const email = ids.email?.trim().toLowerCase();
  if (email) keys.push(`email:${email}`);
  const phone = ids.phone ? nationalPhone(ids.phone) : '';
  if (phone.replace(/\D/g, '').length >= 6) keys.push(`phone:${phone}`);
  return keys;
}

/** The fingerprint stored for one identifier of one organisation. */
export function fingerprint(organisationId: string, key: string): string {
  return sha256(`${organisationId}\n${key}`);
}

/** The fingerprints of every identifier given. */
export function identifierFingerprints(organisationId: string, ids: Identifiers): string[] {
  return identifierKeys(ids).map((k) => fingerprint(organisationId, k));
}
