import { describe, expect, it } from 'vitest';
import {
  attributeTarget,
  checkMapping,
  compileMapping,
  isMappingTarget,
  mapRow,
  normaliseHeader,
  suggestMapping,
} from './header-mapping.ts';

describe('suggestMapping', () => {
  it('maps the headers of a Dutch CRM export', () => {
    expect(
      suggestMapping([
        'Klantnummer',
        'Naam',
        'E-mailadres',
        'Telefoon',
        'Taal',
        'Accountmanager',
        'Bedrijf',
        'Segment',
        'Toestemming',
      ]),
    ).toEqual({
      Klantnummer: 'externalId',
      Naam: 'name',
      'E-mailadres': 'email',
      Telefoon: 'phone',
      Taal: 'language',
      Accountmanager: 'owner',
      Bedrijf: 'account',
      Segment: 'segment',
      Toestemming: 'consent',
    });
  });

  it('maps English headers regardless of case, accents and punctuation', () => {
    expect(
      suggestMapping([
        'Customer Number',
        'NAME',
        'e-mail',
        'Phone',
        'Language',
        'Account manager',
        'Company',
        'Opt-in',
        'External ID',
      ]),
    ).toEqual({
      'Customer Number': 'externalId',
      NAME: 'name',
      'e-mail': 'email',
      Phone: 'phone',
      Language: 'language',
      'Account manager': 'owner',
      Company: 'account',
      'Opt-in': 'consent',
      'External ID': 'attributes.External ID',
    });
  });

  it('recognises more Dutch synonyms', () => {
    expect(
      suggestMapping([
        'Relatienummer',
        'Volledige naam',
        'Mail',
        'Mobiel',
        'Eigenaar',
        'Bedrijfsnaam',
        'Klantgroep',
      ]),
    ).toEqual({
      Relatienummer: 'externalId',
      'Volledige naam': 'name',
      Mail: 'email',
      Mobiel: 'phone',
      Eigenaar: 'owner',
      Bedrijfsnaam: 'account',
      Klantgroep: 'segment',
    });
    expect(suggestMapping(['Debiteurnummer', 'Medewerker', 'Organisatie', 'Type'])).toEqual({
      Debiteurnummer: 'externalId',
      Medewerker: 'owner',
      Organisatie: 'account',
      Type: 'segment',
    });
  });

  it('maps name parts separately so they are combined later', () => {
    expect(suggestMapping(['Voornaam', 'Tussenvoegsel', 'Achternaam', 'Email'])).toEqual({
      Voornaam: 'firstName',
      Tussenvoegsel: 'infix',
      Achternaam: 'lastName',
      Email: 'email',
    });
  });

  it('gives a second column for the same field an attribute instead', () => {
    expect(suggestMapping(['Telefoon', 'Mobiel'])).toEqual({
      Telefoon: 'phone',
      Mobiel: 'attributes.Mobiel',
    });
  });

  it('keeps unknown columns as attributes, at most 50, then ignores them', () => {
    const headers = Array.from({ length: 52 }, (_, i) => `Kolom ${i + 1}`);
    const mapping = suggestMapping(headers);
    expect(mapping['Kolom 1']).toBe('attributes.Kolom 1');
    expect(mapping['Kolom 50']).toBe('attributes.Kolom 50');
    expect(mapping['Kolom 51']).toBe('ignore');
  });
});

describe('normaliseHeader and attributeTarget', () => {
  it('folds a header to letters and digits', () => {
    expect(normaliseHeader(' E-mailadres ')).toBe('emailadres');
    expect(normaliseHeader('Télefoon (mobiel)')).toBe('telefoonmobiel');
  });

  it('cuts attribute keys to 64 characters', () => {
    expect(attributeTarget('x'.repeat(100))).toBe(`attributes.${'x'.repeat(64)}`);
  });
});

describe('isMappingTarget', () => {
  it('accepts fields, attributes and ignore', () => {
    expect(isMappingTarget('email')).toBe(true);
    expect(isMappingTarget('ignore')).toBe(true);
    expect(isMappingTarget('attributes.Kenteken')).toBe(true);
  });

  it('refuses anything else', () => {
    expect(isMappingTarget('password')).toBe(false);
    expect(isMappingTarget('attributes.')).toBe(false);
    expect(isMappingTarget(`attributes.${'x'.repeat(65)}`)).toBe(false);
    expect(isMappingTarget('attributes. padded ')).toBe(false);
  });
});

describe('checkMapping', () => {
  const headers = ['Naam', 'E-mail', 'Telefoon', 'Mobiel'];

  it('accepts a mapping with an email column', () => {
    expect(checkMapping({ Naam: 'name', 'E-mail': 'email' }, headers)).toEqual([]);
  });

  it('names every problem', () => {
    expect(
      checkMapping(
        { Naam: 'name', Telefoon: 'phone', Mobiel: 'phone', Fax: 'attributes.Fax' },
        headers,
      ),
    ).toEqual([
      { field: 'mapping.Mobiel', problem: 'mapped_twice' },
      { field: 'mapping.Fax', problem: 'unknown_field' },
      { field: 'mapping', problem: 'missing_identity' },
    ]);
  });

  it('allows ignoring columns twice', () => {
    expect(
      checkMapping({ Telefoon: 'ignore', Mobiel: 'ignore', 'E-mail': 'email' }, headers),
    ).toEqual([]);
  });

  it('limits attributes to 50', () => {
    const many = Array.from({ length: 51 }, (_, i) => `A${i}`);
    const mapping = Object.fromEntries(many.map((h) => [h, `attributes.${h}` as const]));
    expect(checkMapping({ ...mapping, E: 'externalId' }, [...many, 'E'])).toEqual([
      { field: 'mapping', problem: 'too_big', params: { max: 50 } },
    ]);
  });
});

describe('compileMapping and mapRow', () => {
  it('picks cells by position and treats missing cells as empty', () => {
    const compiled = compileMapping(
      { Naam: 'name', 'E-mail': 'email', Kenteken: 'attributes.Kenteken', Fax: 'ignore' },
      ['Naam', 'Fax', 'E-mail', 'Kenteken'],
    );
    expect(mapRow(compiled, ['Jan', '020', 'jan@example.nl'])).toEqual({
      fields: { name: 'Jan', email: 'jan@example.nl' },
      attributes: { Kenteken: '' },
    });
  });

  it('keeps a column named __proto__ as data', () => {
    const compiled = compileMapping({ __proto__x: 'attributes.__proto__' }, ['__proto__x']);
    const row = mapRow(compiled, ['waarde']);
    expect(Object.keys(row.attributes)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(row.attributes)).toBe(Object.prototype);
  });
});
