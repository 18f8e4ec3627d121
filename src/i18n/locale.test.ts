import { describe, expect, it } from 'vitest';
import { localeFromHeader } from './locale.ts';

describe('the language of a page from Accept-Language', () => {
  it('falls back when there is no header, or nothing in it we speak', () => {
    expect(localeFromHeader(undefined)).toBe('nl');
    expect(localeFromHeader('')).toBe('nl');
    expect(localeFromHeader('   ')).toBe('nl');
    expect(localeFromHeader(undefined, 'en')).toBe('en');
    expect(localeFromHeader('fr-FR, de;q=0.8', 'en')).toBe('en');
    expect(localeFromHeader('fr-FR, de;q=0.8')).toBe('nl');
    expect(localeFromHeader(',,;;,')).toBe('nl');
  });

  it('takes the language of a regional variant (en-GB is English, nl-BE Dutch)', () => {
    expect(localeFromHeader('en-GB')).toBe('en');
    expect(localeFromHeader('en-US,en;q=0.9')).toBe('en');
    expect(localeFromHeader('nl-BE', 'en')).toBe('nl');
    expect(localeFromHeader('EN-gb')).toBe('en');
    expect(localeFromHeader('en_GB')).toBe('en');
    expect(localeFromHeader('zh-Hant-TW, en-Latn-GB;q=0.5')).toBe('en');
  });

  it('knows a language by its whole primary subtag, not its first two letters', () => {
    expect(localeFromHeader('english')).toBe('nl');
    expect(localeFromHeader('nds', 'en')).toBe('en');
    expect(localeFromHeader('enm, nl;q=0.1')).toBe('nl');
  });

  it('prefers the higher quality, wherever it stands', () => {
    expect(localeFromHeader('nl;q=0.5, en;q=0.8')).toBe('en');
    expect(localeFromHeader('en;q=0.2, nl')).toBe('nl');
    expect(localeFromHeader('fr, en;q=0.3, nl;q=0.2')).toBe('en');
    expect(localeFromHeader('nl;q=0.001, en;q=0.002')).toBe('en');
    expect(localeFromHeader('en;q=1.000, nl;q=0.999')).toBe('en');
  });

  it('breaks a tie by the order of the header', () => {
    expect(localeFromHeader('en, nl')).toBe('en');
    expect(localeFromHeader('nl, en', 'en')).toBe('nl');
    expect(localeFromHeader('en;q=0.8, nl;q=0.8')).toBe('en');
    expect(localeFromHeader('nl-BE;q=0.7, en-GB;q=0.7', 'en')).toBe('nl');
  });

  describe('q=0: not acceptable', () => {
    it('never picks a language the browser refuses', () => {
      expect(localeFromHeader('en;q=0', 'en')).toBe('nl');
      expect(localeFromHeader('nl;q=0')).toBe('en');
      expect(localeFromHeader('fr, en;q=0', 'en')).toBe('nl');
      expect(localeFromHeader('nl;q=0, en;q=0.1')).toBe('en');
      expect(localeFromHeader('en;q=0.0, nl;q=0.5', 'en')).toBe('nl');
      expect(localeFromHeader('en;q=0.000', 'en')).toBe('nl');
    });

    it('refuses a regional variant only, not the language, when another variant is welcome', () => {
      expect(localeFromHeader('en-US;q=0, en-GB', 'nl')).toBe('en');
      expect(localeFromHeader('en-US;q=0', 'en')).toBe('nl');
    });

    it('lets the plain language decide over its variants', () => {
      expect(localeFromHeader('en-GB, en;q=0', 'en')).toBe('nl');
      expect(localeFromHeader('en;q=0.4, en-GB;q=0.9, nl;q=0.5')).toBe('nl');
    });

    it('falls back when both are refused', () => {
      expect(localeFromHeader('nl;q=0, en;q=0')).toBe('nl');
      expect(localeFromHeader('nl;q=0, en;q=0', 'en')).toBe('en');
      expect(localeFromHeader('*;q=0')).toBe('nl');
    });
  });

  describe('the wildcard', () => {
    it('counts for a language the header does not name', () => {
      expect(localeFromHeader('*')).toBe('nl');
      expect(localeFromHeader('*', 'en')).toBe('en');
      expect(localeFromHeader('fr, *;q=0.5')).toBe('nl');
      expect(localeFromHeader('nl;q=0, *')).toBe('en');
      expect(localeFromHeader('nl;q=0.1, *;q=0.5')).toBe('en');
    });

    it('never overrides a language the header names', () => {
      expect(localeFromHeader('en;q=0, *', 'en')).toBe('nl');
      expect(localeFromHeader('*;q=0, en')).toBe('en');
      expect(localeFromHeader('*, en;q=0.5', 'en')).toBe('nl');
    });
  });

  describe('the quality parameter as browsers and other clients write it', () => {
    it('reads spaces, tabs, an upper-case Q and other parameters', () => {
      expect(localeFromHeader('nl ; q=0.5 ,\ten ;\tq=0.9')).toBe('en');
      expect(localeFromHeader('nl;Q=0, en')).toBe('en');
      expect(localeFromHeader('en;level=1;q=0', 'en')).toBe('nl');
      expect(localeFromHeader('en; q = 0', 'en')).toBe('nl');
    });

    it('ignores an entry whose quality is not a number from 0 to 1', () => {
      expect(localeFromHeader('en;q=abc', 'nl')).toBe('nl');
      expect(localeFromHeader('en;q=2', 'nl')).toBe('nl');
      expect(localeFromHeader('en;q=-1', 'nl')).toBe('nl');
      expect(localeFromHeader('en;q=', 'nl')).toBe('nl');
      expect(localeFromHeader('en;q=0x1', 'nl')).toBe('nl');
      expect(localeFromHeader('en;q=Infinity', 'nl')).toBe('nl');
      expect(localeFromHeader('en;q=abc, nl;q=0.1', 'en')).toBe('nl');
    });

    it('reads a bare language as quality 1', () => {
      expect(localeFromHeader('nl;q=0.9, en')).toBe('en');
      expect(localeFromHeader('en;level=1, nl;q=0.9')).toBe('en');
    });
  });

  it('takes the best quality when a language is named twice', () => {
    expect(localeFromHeader('en;q=0.1, nl;q=0.5, en;q=0.9')).toBe('en');
  });

  it('reads a very long header in one pass', () => {
    const header = `${Array.from({ length: 5000 }, (_, i) => `x${i};q=0.5`).join(',')},en;q=0.1`;
    expect(localeFromHeader(header)).toBe('en');
  });
});
