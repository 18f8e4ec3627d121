/**
 * Who a person is, reduced to keys that compare equal when two records describe the same person or
 * household: "Jan.Jansen+apk@Gmail.com" and "janjansen@googlemail.com" are one mailbox,
 * "06-12345678", "+31 6 1234 5678" and "+31 (0)6 1234 5678" one phone, "12-ABC-3" and "12abc3" one
 * licence plate. The referral fraud rules compare these keys, never raw input; contacts store their
 * `phoneKey` (visits and referrals find a customer by it) and an erasure fingerprints it.
 *
 * Pure: no I/O. A key is null when the value is missing or too malformed to compare.
 */

/** What the rules know about one person; every field optional, missing fields never match. */
export type Identity = Readonly<{
  email?: string | null;
  phone?: string | null;
  /** Dutch postcode, e.g. "1234 AB". */
  postcode?: string | null;
  /** House number with addition, e.g. "12", "12-A", "12 bis". */
  houseNumber?: string | null;
  /** Family name, for the household rule (same family at the same postcode). */
  lastName?: string | null;
  licencePlates?: readonly string[];
}>;

/** Domains whose mailboxes ignore dots in the local part (Gmail). */
const DOT_BLIND_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address delivers to: lower case, `+tag` sub-addresses dropped (Gmail, Outlook,
 * Fastmail, most Dutch providers deliver them to the same box), Gmail's dots ignored and
 * googlemail.com folded into gmail.com.
 */
export function emailKey(email: string | null | undefined): string | null {
  if (!email) return null;
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at < 1) return null; // no "@", or nothing before it (nothing after it: no "." below)
  let local = trimmed.slice(0, at);
  let domain = trimmed.slice(at + 1).replace(/\.+$/, '');
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (DOT_BLIND_DOMAINS.has(domain)) local = local.replace(/\./g, '');
  if (!local || !domain.includes('.')) return null;
  return `${local}@${domain}`;
}

/** The domain part of an address, lower case, for the disposable-domain rule. */
export function emailDomain(email: string | null | undefined): string | null {
  const key = emailKey(email);
  return key ? key.slice(key.indexOf('@') + 1) : null;
}

/**
 * A phone number as international digits: Dutch national numbers ("06 12345678", "020-1234567")
 * become 31…, "+31"/"0031" prefixes are unified, the trunk zero of "+31 (0)6 …" is dropped,
 * separators too. Nine digits without a prefix are a Dutch number whose trunk zero a spreadsheet
 * dropped (Excel stores "0612345678" typed as a number as 612345678). Any other number without a
 * prefix keeps its digits (a local "123 4567" still matches itself). Fewer than 6 digits is no key
 * (an extension, a typo); 6 is what the contact and visit forms accept.
 */
export function phoneKey(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const hadPlus = phone.trim().startsWith('+');
  let digits = phone.replace(/\D/g, '');
  if (hadPlus) {
    // already international
  } else if (digits.startsWith('00')) {
    digits = digits.slice(2);
  } else if (digits.startsWith('0')) {
    digits = `31${digits.slice(1)}`;
  } else if (digits.length === 9) {
    digits = `31${digits}`;
  }
  // "+31 (0)6 1234 5678": 31, the trunk zero and nine digits. (A ten-digit "310…" is not Dutch.)
  if (digits.length === 12 && digits.startsWith('310')) digits = `31${digits.slice(3)}`;
  return digits.length >= 6 ? digits : null;
}

/** "1234 ab" → "1234AB"; anything that is not a Dutch postcode is compared as-is, folded. */
export function postcodeKey(postcode: string | null | undefined): string | null {
  if (!postcode) return null;
  const folded = postcode.toUpperCase().replace(/[\s-]/g, '');
  return folded.length >= 4 ? folded : null;
}

/** "12 a", "12-A", "12A" → "12A". */
export function houseNumberKey(number: string | null | undefined): string | null {
  if (!number) return null;
  const folded = number.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return /^\d/.test(folded) ? folded : null;
}

/** Postcode and house number: one address (one front door). */
export function addressKey(identity: Identity): string | null {
  const pc = postcodeKey(identity.postcode);
  const nr = houseNumberKey(identity.houseNumber);
  return pc && nr ? `${pc}|${nr}` : null;
}

/** A family name without accents, infixes' case or spacing: "van der Vos" = "Van Der  Vös". */
export function lastNameKey(name: string | null | undefined): string | null {
  if (!name) return null;
  const folded = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  return folded.length >= 2 ? folded : null;
}

/** Same family at the same postcode: a household, even when the house number is written apart. */
export function householdKey(identity: Identity): string | null {
  const pc = postcodeKey(identity.postcode);
  const name = lastNameKey(identity.lastName);
  return pc && name ? `${pc}|${name}` : null;
}

/** "12-ABC-3", "12 abc 3" → "12ABC3". */
export function plateKey(plate: string | null | undefined): string | null {
  if (!plate) return null;
  const folded = plate.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return folded.length >= 4 ? folded : null;
}

/** Which identifying detail two identities share. */
export type SharedDetail = 'email' | 'phone' | 'address' | 'licencePlate' | 'household';

/**
 * Every detail two identities share, strongest first. Household is reported only when the address
 * does not already match (it is the weaker form of the same finding).
 */
export function sharedDetails(a: Identity, b: Identity): SharedDetail[] {
  const shared: SharedDetail[] = [];
  const same = (x: string | null, y: string | null): boolean => x !== null && x === y;
  if (same(emailKey(a.email), emailKey(b.email))) shared.push('email');
  if (same(phoneKey(a.phone), phoneKey(b.phone))) shared.push('phone');
  const address = same(addressKey(a), addressKey(b));
  if (address) shared.push('address');
  const platesA = new Set((a.licencePlates ?? []).map(plateKey).filter((p) => p !== null));
  if ((b.licencePlates ?? []).some((p) => platesA.has(plateKey(p) ?? '\u0000'))) {
    shared.push('licencePlate');
  }
  if (!address && same(householdKey(a), householdKey(b))) shared.push('household');
  return shared;
}
