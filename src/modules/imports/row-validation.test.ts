import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MappedValues } from './header-mapping.ts';
import {
  combineName,
  parseConsent,
  parseLanguage,
  validateRow,
  type LocationMatch,
  type OwnerMatch,
  type RowContext,
} from './row-validation.ts';

const JAN = '5f0c6a8e-4a63-4c39-9d6a-0a5b5c1f2a11';
const LEEUWARDEN = '0b7c6a8e-4a63-4c39-9d6a-0a5b5c1f2a22';
const ctx: RowContext = {
  findOwner: (value): OwnerMatch =>
    value.toLowerCase() === 'jan de vries' || value === 'jan@garage.example'
      ? { id: JAN }
      : value === 'Sanne'
        ? 'ambiguous'
        : 'unknown',
  findLocation: (value): LocationMatch =>
    value.toLowerCase() === 'leeuwarden' ? { id: LEEUWARDEN } : 'unknown',
  defaultLanguage: 'nl',
};
const row = (
  fields: MappedValues['fields'],
  attributes: Record<string, string> = {},
): MappedValues => ({
  fields,
  attributes,
});

describe('parseLanguage', () => {
  it.each([
    ['nl', 'nl'],
    ['NL', 'nl'],
    ['Nederlands', 'nl'],
    ['Dutch', 'nl'],
    ['nl-NL', 'nl'],
    ['en', 'en'],
    ['Engels', 'en'],
    ['English', 'en'],
    ['EN-gb', 'en'],
  ])('%s → %s', (input, expected) => {
    expect(parseLanguage(input)).toBe(expected);
  });

  it('knows no other language', () => {
    expect(parseLanguage('Frans')).toBeNull();
    expect(parseLanguage('de')).toBeNull();
  });
});

describe('parseConsent', () => {
  it.each(['ja', 'Ja', 'yes', '1', 'true', 'x', 'X', 'TRUE', 'Opt-in'])('%s is consent', (v) => {
    expect(parseConsent(v)).toBe(true);
  });
  it.each(['nee', 'no', '0', 'false', '', 'Onwaar'])('%s is no consent', (v) => {
    expect(parseConsent(v)).toBe(false);
  });
  it('does not guess', () => {
    expect(parseConsent('misschien')).toBeNull();
  });
});

describe('combineName', () => {
  it('joins Dutch name parts', () => {
    expect(combineName(['Zoë', "van 't", 'Hof'])).toBe("Zoë van 't Hof");
    expect(combineName(['Jan', '', 'Jansen'])).toBe('Jan Jansen');
    expect(combineName([undefined, ' ', undefined])).toBe('');
  });
});

describe('validateRow', () => {
  it('normalises a complete Dutch row', () => {
    expect(
      validateRow(
        row(
          {
            externalId: ' 1001 ',
            name: 'Renée Çelik-Smit',
            email: 'Renee@Example.nl',
            phone: '06-12345678',
            language: 'Nederlands',
            owner: 'Jan de Vries',
            account: 'Bakkerij Çelik B.V.',
            segment: 'zakelijk',
            consent: 'ja',
          },
          { Kenteken: 'AB-12-CD', Leeg: ' ' },
        ),
        ctx,
      ),
    ).toEqual({
      ok: true,
      contact: {
        externalId: '1001',
        name: 'Renée Çelik-Smit',
        firstName: null,
        salutation: null,
        email: 'Renee@Example.nl',
        emailKey: 'renee@example.nl',
        phone: '06-12345678',
        language: 'nl',
        ownerEmployeeId: JAN,
        accountName: 'Bakkerij Çelik B.V.',
        segment: 'zakelijk',
        locationId: null,
        attributes: { Kenteken: 'AB-12-CD' },
        consent: true,
      },
    });
  });

  it('leaves empty cells as null so an update keeps stored values', () => {
    const result = validateRow(row({ email: 'a@example.nl', language: '', phone: '' }), ctx);
    expect(result).toMatchObject({
      ok: true,
      contact: { language: null, phone: null, name: null },
    });
  });

  it('builds the name from first name, infix and last name', () => {
    const result = validateRow(
      row({ email: 'z@example.nl', firstName: 'Zoë', infix: "van 't", lastName: 'Hof' }),
      ctx,
    );
    expect(result).toMatchObject({ ok: true, contact: { name: "Zoë van 't Hof" } });
  });

  it('keeps the first name for the greeting, never one guessed from the full name', () => {
    const parts = validateRow(
      row({ email: 'z@example.nl', firstName: 'Zoë', infix: "van 't", lastName: 'Hof' }),
      ctx,
    );
    expect(parts).toMatchObject({ ok: true, contact: { firstName: 'Zoë', salutation: null } });
    const full = validateRow(row({ email: 'z@example.nl', name: 'Zoë van ’t Hof' }), ctx);
    expect(full).toMatchObject({ ok: true, contact: { firstName: null } });
  });

  it('completes a bare "Aanhef" with the surname, in the language of the row', () => {
    const nl = validateRow(
      row({ email: 'v@example.nl', salutation: 'Dhr.', infix: 'van der', lastName: 'Vos' }),
      ctx,
    );
    expect(nl).toMatchObject({ ok: true, contact: { salutation: 'Geachte heer Van der Vos' } });
    const en = validateRow(
      row({ email: 'v@example.nl', salutation: 'mevrouw', lastName: 'Jansen', language: 'en' }),
      ctx,
    );
    expect(en).toMatchObject({ ok: true, contact: { salutation: 'Dear Ms Jansen' } });
    const line = validateRow(row({ email: 'v@example.nl', salutation: 'Beste Ingrid,' }), ctx);
    expect(line).toMatchObject({ ok: true, contact: { salutation: 'Beste Ingrid' } });
  });

  it('prefers a full name column over the parts', () => {
    const result = validateRow(
      row({ email: 'z@example.nl', name: 'Z. Hof', firstName: 'Zoë' }),
      ctx,
    );
    expect(result).toMatchObject({ ok: true, contact: { name: 'Z. Hof' } });
  });

  it('reports every problem of a row at once', () => {
    expect(
      validateRow(
        row({
          email: 'piet@@example',
          phone: 'bel me',
          language: 'Frans',
          owner: 'Onbekend',
          consent: 'misschien',
          segment: 's'.repeat(101),
        }),
        ctx,
      ),
    ).toEqual({
      ok: false,
      problems: [
        { field: 'segment', code: 'too_long', params: { max: 100 }, value: 's'.repeat(101) },
        { field: 'email', code: 'invalid_email', value: 'piet@@example' },
        { field: 'phone', code: 'invalid_phone', value: 'bel me' },
        { field: 'language', code: 'invalid_language', value: 'Frans' },
        { field: 'owner', code: 'unknown_employee', value: 'Onbekend' },
        { field: 'consent', code: 'invalid_value', value: 'misschien' },
      ],
    });
  });

  it('resolves a location by name and rejects one the organisation does not have', () => {
    expect(
      validateRow(row({ email: 'a@example.nl', location: ' Leeuwarden ' }), ctx),
    ).toMatchObject({ ok: true, contact: { locationId: LEEUWARDEN } });
    expect(validateRow(row({ email: 'a@example.nl', location: 'Sneek' }), ctx)).toEqual({
      ok: false,
      problems: [{ field: 'location', code: 'unknown_location', value: 'Sneek' }],
    });
    expect(validateRow(row({ email: 'a@example.nl', location: '' }), ctx)).toMatchObject({
      ok: true,
      contact: { locationId: null },
    });
  });

  it('says when an owner name matches two employees', () => {
    expect(validateRow(row({ email: 'a@example.nl', owner: 'Sanne' }), ctx)).toMatchObject({
      ok: false,
      problems: [{ field: 'owner', code: 'ambiguous_employee' }],
    });
  });

  it('needs an email or an external id to match the row', () => {
    expect(validateRow(row({ name: 'Alleen Naam' }), ctx)).toEqual({
      ok: false,
      problems: [{ field: 'email', code: 'missing_identity', value: null }],
    });
    expect(validateRow(row({ externalId: 'K1' }), ctx).ok).toBe(true);
  });

  it('does not add missing_identity on top of a bad email', () => {
    expect(validateRow(row({ email: 'nope' }), ctx)).toMatchObject({
      ok: false,
      problems: [{ code: 'invalid_email' }],
    });
  });

  it('cuts reported values to 200 characters', () => {
    const result = validateRow(row({ externalId: 'k'.repeat(500) }), ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.value).toHaveLength(200);
  });

  it('rejects an attribute value over 1000 characters', () => {
    expect(
      validateRow(row({ email: 'a@example.nl' }, { Notitie: 'n'.repeat(1001) }), ctx),
    ).toMatchObject({
      ok: false,
      problems: [{ field: 'attributes.Notitie', code: 'too_long', params: { max: 1000 } }],
    });
  });

  it('never throws, whatever the cells hold', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 50 }),
      fc.constant(''),
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            name: cell,
            firstName: cell,
            infix: cell,
            lastName: cell,
            email: cell,
            phone: cell,
            language: cell,
            owner: cell,
            account: cell,
            segment: cell,
            externalId: cell,
            consent: cell,
          },
          { requiredKeys: [] },
        ),
        fc.dictionary(fc.string({ maxLength: 70 }), cell, { maxKeys: 5 }),
        (fields, attributes) => {
          // Plain booleans: expect() inside a 300-run property costs seconds.
          const result = validateRow({ fields, attributes }, ctx);
          return result.ok
            ? result.contact.email !== null || result.contact.externalId !== null
            : result.problems.length > 0;
        },
      ),
      { numRuns: 200 },
    );
  });
});
