import { foldForSearch } from '../../shared/text.ts';

/**
 * Contact fields a column can be mapped to. `firstName`, `infix` (tussenvoegsel) and `lastName`
 * are combined into the name when the file has no full-name column, as Dutch CRMs often export
 * them separately; the first name is also kept for the greeting ("Beste Ingrid,"), and
 * `salutation` (aanhef) is the greeting itself ("Geachte heer Jansen", or just "heer"); `location`
 * (vestiging) names one of the organisation's locations. `attributes.<key>` keeps any other column
 * as a free attribute.
 */
export const IMPORT_FIELDS = [
  'name',
  'firstName',
  'infix',
  'lastName',
  'salutation',
  'email',
  'phone',
  'language',
  'owner',
  'account',
  'segment',
  'location',
  'externalId',
  'consent',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type AttributeTarget = `attributes.${string}`;
/** What one column is mapped to: a field, a free attribute, or nothing. */
export type MappingTarget = ImportField | AttributeTarget | 'ignore';
/** Header (as shown in the file) → target. Headers left out are ignored. */
export type ColumnMapping = Record<string, MappingTarget>;

/** Attribute keys are at most 64 characters (see attributesSchema in contacts.schemas.ts). */
export const MAX_ATTRIBUTE_KEY = 64;
export const MAX_ATTRIBUTES = 50;

const isImportField = (v: string): v is ImportField =>
  (IMPORT_FIELDS as readonly string[]).includes(v);

/** True for a valid mapping target string (used by the request schema). */
export function isMappingTarget(value: string): value is MappingTarget {
  if (value === 'ignore' || isImportField(value)) return true;
  if (!value.startsWith('attributes.')) return false;
  const key = value.slice('attributes.'.length);
  return key.trim().length > 0 && key.length <= MAX_ATTRIBUTE_KEY && key === key.trim();
}

/** Header synonyms in Dutch and English, in their normalised form (see `normaliseHeader`). */
const SYNONYMS: Record<ImportField, readonly string[]> = {
  name: ['naam', 'volledigenaam', 'name', 'klantnaam', 'fullname', 'contactnaam', 'relatienaam'],
  firstName: ['voornaam', 'roepnaam', 'firstname', 'givenname', 'voornamen'],
  infix: ['tussenvoegsel', 'tussenvoegsels', 'voorvoegsel', 'infix', 'middlename'],
  lastName: ['achternaam', 'familienaam', 'lastname', 'surname', 'familyname'],
  salutation: ['aanhef', 'briefaanhef', 'salutation', 'greeting', 'titel', 'title'],
  email: ['emailadres', 'email', 'mail', 'emailaddress', 'mailadres', 'emailadresklant', 'eemail'],
  phone: [
    'telefoon',
    'telefoonnummer',
    'mobiel',
    'mobielnummer',
    'mobiel06',
    'phone',
    'phonenumber',
    'mobile',
    'telephone',
    'tel',
    'telnr',
    'gsm',
  ],
  language: ['taal', 'language', 'voorkeurstaal', 'taalvoorkeur', 'locale', 'correspondentietaal'],
  owner: [
    'accountmanager',
    'eigenaar',
    'owner',
    'medewerker',
    'verantwoordelijke',
    'behandelaar',
    'adviseur',
    'accountowner',
    'relatiebeheerder',
  ],
  account: [
    'bedrijf',
    'bedrijfsnaam',
    'organisatie',
    'company',
    'account',
    'companyname',
    'firma',
    'organisation',
    'organization',
    'accountnaam',
  ],
  segment: ['segment', 'klantgroep', 'type', 'klanttype', 'categorie', 'customersegment'],
  location: ['vestiging', 'filiaal', 'vestigingsnaam', 'location', 'branch', 'branchname'],
  externalId: [
    'klantnummer',
    'relatienummer',
    'debiteurnummer',
    'debiteurennummer',
    'id',
    'externalid',
    'externeid',
    'customernumber',
    'customerid',
    'klantid',
    'klantnr',
    'relatienr',
    'debiteurnr',
    'debnr',
  ],
  consent: ['toestemming', 'consent', 'optin', 'toestemmingonderzoek', 'magbenaderdworden'],
};

const LOOKUP = new Map<string, ImportField>(
  (Object.entries(SYNONYMS) as [ImportField, readonly string[]][]).flatMap(([field, names]) =>
    names.map((n) => [n, field] as const),
  ),
);

/**
 * The reason column Loyaal adds to a download of rejected rows (`import.rejected.reasonColumn` in
 * both languages). The owner fixes those rows and imports the file again: the reasons are not
 * data, so that column is not imported.
 */
export const REASON_COLUMN = { nl: 'Reden afkeuring', en: 'Reason rejected' } as const;
const REASON_COLUMNS = new Set(
  Object.values(REASON_COLUMN).map((h) => foldForSearch(h).replace(/[^a-z0-9]/g, '')),
);

/** Case, accents, spaces and punctuation removed: "E-mailadres" → "emailadres". */
export function normaliseHeader(header: string): string {
  return foldForSearch(header).replace(/[^a-z0-9]/g, '');
}

/** The attribute target for a header, its key cut to the maximum length. */
export function attributeTarget(header: string): AttributeTarget {
  const key = header.trim().slice(0, MAX_ATTRIBUTE_KEY).trim();
  return `attributes.${key || 'kolom'}`;
}

/**
 * Suggests a mapping for every header: a known synonym maps to its field (the first column wins
 * when two columns mean the same field, e.g. `Telefoon` and `Mobiel`); every other column becomes
 * a free attribute, which the user may switch to `ignore` in the mapping step.
 */
export function suggestMapping(headers: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const used = new Set<string>();
  let attributes = 0;
  for (const header of headers) {
    if (REASON_COLUMNS.has(normaliseHeader(header))) {
      mapping[header] = 'ignore';
      continue;
    }
    const field = LOOKUP.get(normaliseHeader(header));
    if (field && !used.has(field)) {
      used.add(field);
      mapping[header] = field;
      continue;
    }
    const target = attributeTarget(header);
    if (attributes < MAX_ATTRIBUTES && !used.has(target)) {
      used.add(target);
      attributes++;
      mapping[header] = target;
    } else {
      mapping[header] = 'ignore';
    }
  }
  return mapping;
}

/** A problem with a mapping, in the shape of `FieldIssue` (src/shared/errors.ts). */
export interface MappingIssue {
  field: string;
  problem: string;
  params?: Record<string, string | number>;
}

/**
 * Checks a user's mapping against the file's headers before anything is validated: every header
 * exists, no field is mapped twice (which column would win?), at most 50 attributes, and the rows
 * can be matched to contacts at all (an email or an external id column).
 */
export function checkMapping(mapping: ColumnMapping, headers: readonly string[]): MappingIssue[] {
  const issues: MappingIssue[] = [];
  const known = new Set(headers);
  const used = new Set<string>();
  let attributes = 0;
  for (const [header, target] of Object.entries(mapping)) {
    if (!known.has(header)) {
      issues.push({ field: `mapping.${header}`, problem: 'unknown_field' });
      continue;
    }
    if (target === 'ignore') continue;
    if (used.has(target)) {
      issues.push({ field: `mapping.${header}`, problem: 'mapped_twice' });
      continue;
    }
    used.add(target);
    if (target.startsWith('attributes.')) attributes++;
  }
  if (attributes > MAX_ATTRIBUTES) {
    issues.push({ field: 'mapping', problem: 'too_big', params: { max: MAX_ATTRIBUTES } });
  }
  if (!used.has('email') && !used.has('externalId')) {
    issues.push({ field: 'mapping', problem: 'missing_identity' });
  }
  return issues;
}

/** Column positions per target, computed once per file so each row is mapped without lookups. */
export interface CompiledMapping {
  fields: { index: number; target: ImportField }[];
  attributes: { index: number; key: string }[];
}

/** Resolves a mapping to column positions once per file, so rows are mapped without lookups. */
export function compileMapping(
  mapping: ColumnMapping,
  headers: readonly string[],
): CompiledMapping {
  const compiled: CompiledMapping = { fields: [], attributes: [] };
  headers.forEach((header, index) => {
    const target = Object.hasOwn(mapping, header) ? mapping[header] : undefined;
    if (!target || target === 'ignore') return;
    if (target.startsWith('attributes.')) {
      compiled.attributes.push({ index, key: target.slice('attributes.'.length) });
    } else if (isImportField(target)) {
      compiled.fields.push({ index, target });
    }
  });
  return compiled;
}

/** The raw cell values of one row, by target. Missing cells are empty strings. */
export interface MappedValues {
  fields: Partial<Record<ImportField, string>>;
  attributes: Record<string, string>;
}

/** The cells of one row by target; a row shorter than the header has empty cells. */
export function mapRow(compiled: CompiledMapping, values: readonly string[]): MappedValues {
  const fields: Partial<Record<ImportField, string>> = {};
  for (const { index, target } of compiled.fields) fields[target] = values[index] ?? '';
  // fromEntries defines own properties, so a column named `__proto__` is data, not a prototype.
  const attributes = Object.fromEntries(
    compiled.attributes.map(({ index, key }) => [key, values[index] ?? '']),
  );
  return { fields, attributes };
}
