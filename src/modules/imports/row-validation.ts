import type { Locale } from '../../db/schema.ts';
import { readSalutation } from '../../domain/greeting/greeting.ts';
import { t } from '../../i18n/messages.ts';
import { foldForSearch } from '../../shared/text.ts';
import { emailValue, phoneValue } from '../contacts/contacts.schemas.ts';
import { emailKey } from '../contacts/contacts.service.ts';
import { MAX_ATTRIBUTE_KEY, type MappedValues } from './header-mapping.ts';

/**
 * One valid row, normalised: what the commit writes. `null` means "the file says nothing", so an
 * update keeps the stored value (an empty cell never wipes data a colleague entered by hand).
 */
export interface ImportContact {
  externalId: string | null;
  name: string | null;
  /** For the greeting; only from a first-name column, never guessed from a full name. */
  firstName: string | null;
  /** The greeting as it will be written: "Geachte heer Van der Vos". */
  salutation: string | null;
  email: string | null;
  emailKey: string | null;
  phone: string | null;
  /** null: the organisation's default for a new contact, unchanged for an existing one. */
  language: Locale | null;
  ownerEmployeeId: string | null;
  /** The account's name as written in the file; linked (or created) by folded name. */
  accountName: string | null;
  segment: string | null;
  /** The location (vestiging) the row names, resolved by name (or null: the file says nothing). */
  locationId: string | null;
  /** Non-empty attribute cells only; merged into the stored attributes. */
  attributes: Record<string, string>;
  /** True when the file records consent (ja/yes/1/x …); a "no" never withdraws stored consent. */
  consent: boolean;
}

/** Why a row is rejected: a stable problem code (catalogue key `problem.<code>`) per field. */
export interface RowProblem {
  field: string;
  code: string;
  params?: Record<string, string | number>;
  /** The offending cell, cut to 200 characters, for the error report. */
  value: string | null;
}

export type RowResult =
  { ok: true; contact: ImportContact } | { ok: false; problems: RowProblem[] };

/**
 * How an owner cell resolved against the organisation's employees (and the owner's decisions for
 * names Loyaal did not know): an employee, deliberately none (`id: null`), or a problem.
 */
export type OwnerMatch = { id: string | null } | 'unknown' | 'ambiguous';

/**
 * How a `Vestiging` cell resolved against the organisation's locations (names are unique, case and
 * accents ignored) and the owner's decisions: a location, deliberately none, or unknown.
 */
export type LocationMatch = { id: string | null } | 'unknown';

export interface RowContext {
  /** Resolves an `Accountmanager` cell (email or name) to an employee. */
  findOwner(value: string): OwnerMatch;
  /** Resolves a `Vestiging` cell (a location's name) to a location. */
  findLocation(value: string): LocationMatch;
  /** The organisation's language: a salutation of a row without language is written in it. */
  defaultLanguage: Locale;
}

export const MAX_LENGTH = {
  externalId: 100,
  name: 200,
  firstName: 100,
  salutation: 100,
  segment: 100,
  location: 100,
  account: 200,
  owner: 254,
  attribute: 1000,
} as const;

const LANGUAGES = new Map<string, Locale>([
  ['nl', 'nl'],
  ['nld', 'nl'],
  ['dut', 'nl'],
  ['nlnl', 'nl'],
  ['nlbe', 'nl'],
  ['nederlands', 'nl'],
  ['dutch', 'nl'],
  ['vlaams', 'nl'],
  ['en', 'en'],
  ['eng', 'en'],
  ['engb', 'en'],
  ['enus', 'en'],
  ['engels', 'en'],
  ['english', 'en'],
]);

/** `nl`, `NL`, `Nederlands`, `Dutch`, `nl-NL`, `en`, `Engels`, `English`, … → locale; else null. */
export function parseLanguage(value: string): Locale | null {
  return LANGUAGES.get(foldForSearch(value).replace(/[^a-z]/g, '')) ?? null;
}

const CONSENT_YES = new Set([
  'ja',
  'j',
  'yes',
  'y',
  '1',
  'true',
  'waar',
  'x',
  'ok',
  'akkoord',
  'optin',
  'granted',
  'gegeven',
]);
const CONSENT_NO = new Set(['nee', 'n', 'no', '0', 'false', 'onwaar', 'optout', 'geen', '']);

/** `ja/yes/1/true/x` → true, `nee/no/0/false/empty` → false, anything else → null (a problem). */
export function parseConsent(value: string): boolean | null {
  const v = foldForSearch(value).replace(/[^a-z0-9]/g, '');
  if (CONSENT_YES.has(v)) return true;
  if (CONSENT_NO.has(v)) return false;
  return null;
}

const cut = (value: string): string => (value.length > 200 ? value.slice(0, 200) : value);

/** Joins "Jan", "van der", "Berg" into "Jan van der Berg", skipping empty parts. */
export function combineName(parts: readonly (string | undefined)[]): string {
  return parts
    .map((p) => (p ?? '').trim())
    .filter(Boolean)
    .join(' ');
}

/**
 * Validates one mapped row into an `ImportContact` or the list of everything wrong with it, so the
 * report shows all problems of a line at once. Pure and total: no input makes it throw.
 */
export function validateRow(row: MappedValues, ctx: RowContext): RowResult {
  const problems: RowProblem[] = [];
  const f = row.fields;
  const cell = (v: string | undefined): string => (v ?? '').trim();

  const text = (field: string, value: string, max: number): string | null => {
    if (value === '') return null;
    if (value.length > max) {
      problems.push({ field, code: 'too_long', params: { max }, value: cut(value) });
      return null;
    }
    return value;
  };

  const externalId = text('externalId', cell(f.externalId), MAX_LENGTH.externalId);
  const fullName = cell(f.name) || combineName([f.firstName, f.infix, f.lastName]);
  const name = text('name', fullName, MAX_LENGTH.name);
  const firstName = text('firstName', cell(f.firstName), MAX_LENGTH.firstName);
  const segment = text('segment', cell(f.segment), MAX_LENGTH.segment);
  const accountName = text('account', cell(f.account), MAX_LENGTH.account);

  let email: string | null = null;
  const rawEmail = cell(f.email);
  if (rawEmail !== '') {
    const parsed = emailValue.safeParse(rawEmail);
    if (parsed.success) email = parsed.data;
    else problems.push({ field: 'email', code: 'invalid_email', value: cut(rawEmail) });
  }

  let phone: string | null = null;
  const rawPhone = cell(f.phone);
  if (rawPhone !== '') {
    const parsed = phoneValue.safeParse(rawPhone);
    if (parsed.success) phone = parsed.data;
    else problems.push({ field: 'phone', code: 'invalid_phone', value: cut(rawPhone) });
  }

  let language: Locale | null = null;
  const rawLanguage = cell(f.language);
  if (rawLanguage !== '') {
    language = parseLanguage(rawLanguage);
    if (!language) {
      problems.push({ field: 'language', code: 'invalid_language', value: cut(rawLanguage) });
    }
  }

  let ownerEmployeeId: string | null = null;
  const rawOwner = cell(f.owner);
  if (rawOwner !== '') {
    const match = rawOwner.length > MAX_LENGTH.owner ? 'unknown' : ctx.findOwner(rawOwner);
    if (match === 'unknown') {
      problems.push({ field: 'owner', code: 'unknown_employee', value: cut(rawOwner) });
    } else if (match === 'ambiguous') {
      problems.push({ field: 'owner', code: 'ambiguous_employee', value: cut(rawOwner) });
    } else {
      ownerEmployeeId = match.id;
    }
  }

  let locationId: string | null = null;
  const rawLocation = cell(f.location);
  if (rawLocation !== '') {
    const match =
      rawLocation.length > MAX_LENGTH.location ? 'unknown' : ctx.findLocation(rawLocation);
    if (match === 'unknown') {
      problems.push({ field: 'location', code: 'unknown_location', value: cut(rawLocation) });
    } else {
      locationId = match.id;
    }
  }

  let consent = false;
  const rawConsent = cell(f.consent);
  if (rawConsent !== '') {
    const parsed = parseConsent(rawConsent);
    if (parsed === null) {
      problems.push({ field: 'consent', code: 'invalid_value', value: cut(rawConsent) });
    } else {
      consent = parsed;
    }
  }

  // A bare title ("heer", "Mevr.") becomes a whole salutation in the contact's language.
  const read = readSalutation({
    salutation: cell(f.salutation),
    infix: cell(f.infix),
    lastName: cell(f.lastName),
  });
  const salutation = !read
    ? null
    : text(
        'salutation',
        read.kind === 'line'
          ? read.text
          : t(language ?? ctx.defaultLanguage, `salutation.${read.title}`, {
              surname: read.surname,
            }),
        MAX_LENGTH.salutation,
      );

  const attributeEntries: [string, string][] = [];
  for (const [key, raw] of Object.entries(row.attributes)) {
    const value = raw.trim();
    if (value === '' || key.length === 0 || key.length > MAX_ATTRIBUTE_KEY) continue;
    if (value.length > MAX_LENGTH.attribute) {
      problems.push({
        field: `attributes.${key}`,
        code: 'too_long',
        params: { max: MAX_LENGTH.attribute },
        value: cut(value),
      });
      continue;
    }
    attributeEntries.push([key, value]);
  }
  const attributes: Record<string, string> = Object.fromEntries(attributeEntries);

  if (
    !externalId &&
    !email &&
    !problems.some((p) => p.field === 'email' || p.field === 'externalId')
  ) {
    problems.push({ field: 'email', code: 'missing_identity', value: null });
  }

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    contact: {
      externalId,
      name,
      firstName,
      salutation,
      email,
      emailKey: emailKey(email),
      phone,
      language,
      ownerEmployeeId,
      accountName,
      segment,
      locationId,
      attributes,
      consent,
    },
  };
}
