/**
 * How a customer is addressed. Pure rules, no I/O and no words: the catalogues hold the texts.
 *
 * A greeting uses an imported salutation ("Geachte heer Jansen,") or the first name ("Beste
 * Ingrid,"), never the full name: "Hallo Ingrid van der Vos," reads like a mail merge. Without
 * either, the email greets without a name.
 */

export type Formality = 'u' | 'je';

/** Which greeting an email opens with; the renderer turns it into words from the catalogue. */
export type Greeting =
  | { kind: 'salutation'; text: string }
  | { kind: 'firstName'; name: string }
  | { kind: 'anonymous' };

/** A title in an "Aanhef" column: `mr` (de heer) or `ms` (mevrouw). */
export type Title = 'mr' | 'ms';

const TITLES: Record<string, Title> = {
  heer: 'mr',
  deheer: 'mr',
  dhr: 'mr',
  hr: 'mr',
  mr: 'mr',
  mister: 'mr',
  mevrouw: 'ms',
  mevr: 'ms',
  mw: 'ms',
  mrs: 'ms',
  ms: 'ms',
  miss: 'ms',
};

const titleKey = (value: string): string =>
  value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

const tidy = (s: string | null | undefined): string =>
  (s ?? '')
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[\s,]+$/, '');

/** "heer", "De heer", "Dhr.", "mevr", "Mrs" … → the title; a whole salutation line → null. */
export function parseTitle(value: string): Title | null {
  return TITLES[titleKey(value)] ?? null;
}

/**
 * A Dutch surname without first name or initials starts with a capital, infix included: "de heer
 * Van der Vos", not "de heer van der Vos".
 */
export function surnameForSalutation(infix: string | null, lastName: string): string {
  const parts = [tidy(infix), tidy(lastName)].filter(Boolean).join(' ');
  return parts.charAt(0).toLocaleUpperCase('nl-NL') + parts.slice(1);
}

/**
 * What an imported "Aanhef" cell means. A full line ("Geachte heer Jansen", "Beste Ingrid") is
 * kept as written; a bare title ("heer", "Mevr.") is completed with the surname by the caller
 * (in the contact's language); a title without a last name says too little to greet anyone by.
 */
export function readSalutation(input: {
  salutation: string | null;
  infix: string | null;
  lastName: string | null;
}): { kind: 'line'; text: string } | { kind: 'title'; title: Title; surname: string } | null {
  const raw = tidy(input.salutation);
  if (raw === '') return null;
  const title = parseTitle(raw);
  if (!title) return { kind: 'line', text: raw };
  const last = tidy(input.lastName);
  if (last === '') return null;
  return { kind: 'title', title, surname: surnameForSalutation(input.infix, last) };
}

/** The salutation first, else the first name, else no name. The full name is never used. */
export function chooseGreeting(contact: {
  firstName: string | null;
  salutation: string | null;
}): Greeting {
  const salutation = tidy(contact.salutation);
  if (salutation !== '') return { kind: 'salutation', text: salutation };
  const first = tidy(contact.firstName);
  if (first !== '') return { kind: 'firstName', name: first };
  return { kind: 'anonymous' };
}
