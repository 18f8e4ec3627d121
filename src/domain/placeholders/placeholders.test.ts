import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPlaceholders, displayPlaceholders } from './placeholders.ts';

describe('placeholders in survey texts', () => {
  it('shows the canonical names in the reader’s language', () => {
    const stored = 'Hoe tevreden bent u over {employee} van {organisation}, {firstName}?';
    expect(displayPlaceholders(stored, 'nl')).toBe(
      'Hoe tevreden bent u over {accountmanager} van {bedrijf}, {voornaam}?',
    );
    expect(displayPlaceholders(stored, 'en')).toBe(
      'Hoe tevreden bent u over {accountmanager} van {company}, {firstname}?',
    );
  });

  it('stores what people write, in either language and any case, under the canonical name', () => {
    expect(canonicalPlaceholders('{Bedrijf} en {company}, {VOORNAAM} {firstname}')).toBe(
      '{organisation} en {organisation}, {firstName} {firstName}',
    );
    expect(canonicalPlaceholders('{accountmanager} / {employee}')).toBe('{employee} / {employee}');
  });

  it('leaves unknown braces alone', () => {
    expect(canonicalPlaceholders('{onbekend} en {} en {12}')).toBe('{onbekend} en {} en {12}');
    expect(displayPlaceholders('{onbekend}', 'nl')).toBe('{onbekend}');
  });

  it('round-trips: displaying and storing again changes nothing', () => {
    const word = fc.constantFrom('{organisation}', '{employee}', '{firstName}', ' ', 'de ', '{x}');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 12 }), fc.constantFrom('nl', 'en'), (parts, l) => {
        const stored = parts.join('');
        const locale = l;
        expect(canonicalPlaceholders(displayPlaceholders(stored, locale))).toBe(stored);
      }),
    );
  });
});
