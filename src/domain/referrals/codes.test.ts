import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ALPHABET,
  LINK_TOKEN_BYTES,
  checkCharacter,
  codeEntropyBits,
  formatCode,
  makeCode,
  parseCode,
  randomBytesFor,
} from './codes.ts';

const bytes = (n: number, seed = 7): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 37 + seed) & 255);

describe('codes', () => {
  it('meets the entropy the issue asks for', () => {
    expect(LINK_TOKEN_BYTES * 8).toBeGreaterThanOrEqual(64);
    expect(codeEntropyBits('voucher')).toBe(55);
    expect(codeEntropyBits('ambassador')).toBe(30);
  });

  it('makes a voucher code of 12 characters, printed in groups of four', () => {
    const code = makeCode('voucher', bytes(randomBytesFor('voucher')));
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(formatCode(code)).toMatch(/^.{4}-.{4}-.{4}$/);
    expect(formatCode('K7M2QX4')).toBe('K7M2QX4');
  });

  it('refuses too few random bytes', () => {
    expect(() => makeCode('voucher', bytes(3))).toThrow(RangeError);
  });

  it('reads a code as people type it', () => {
    const code = makeCode('voucher', bytes(11));
    const typed = formatCode(code).toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    expect(parseCode('voucher', ` ${typed} `)).toEqual({ ok: true, code });
  });

  it('tells a typo from a miss', () => {
    expect(parseCode('voucher', '')).toEqual({ ok: false, problem: 'empty' });
    expect(parseCode('voucher', 'ABC')).toEqual({ ok: false, problem: 'length' });
    expect(parseCode('ambassador', 'ABCDEU#')).toEqual({ ok: false, problem: 'character' });
    const code = makeCode('ambassador', bytes(6));
    const last = code.slice(-1);
    const wrong = ALPHABET[(ALPHABET.indexOf(last) + 1) % 32] ?? '0';
    expect(parseCode('ambassador', code.slice(0, -1) + wrong)).toEqual({
      ok: false,
      problem: 'check',
    });
  });

  it('catches every single wrong character (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 11, maxLength: 11 }),
        fc.nat(10),
        fc.integer({ min: 1, max: 31 }),
        (random, pos, shift) => {
          const code = makeCode('voucher', random);
          const chars = [...code];
          chars[pos] = ALPHABET[(ALPHABET.indexOf(chars[pos] ?? '0') + shift) % 32] ?? '0';
          expect(parseCode('voucher', chars.join('')).ok).toBe(false);
        },
      ),
    );
  });

  it('catches every swap of two different neighbours but Luhn’s one twin, 0 and Z (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 11, maxLength: 11 }), fc.nat(10), (random, pos) => {
        const code = makeCode('voucher', random);
        const chars = [...code];
        const a = chars[pos] ?? '';
        const b = chars[pos + 1] ?? '';
        fc.pre(a !== b && [a, b].sort().join('') !== '0Z');
        chars[pos] = b;
        chars[pos + 1] = a;
        expect(parseCode('voucher', chars.join('')).ok).toBe(false);
      }),
    );
  });

  it('misses only the swap of 0 and Z, as Luhn mod N does', () => {
    expect(checkCharacter('0Z7')).toBe(checkCharacter('Z07'));
    expect(checkCharacter('1Z7')).not.toBe(checkCharacter('Z17'));
  });

  it('uses every character of the alphabet evenly', () => {
    const seen = new Set<string>();
    for (let b = 0; b < 32; b++)
      seen.add(makeCode('ambassador', Uint8Array.from([b, b, b, b, b, b])).charAt(0));
    expect(seen.size).toBe(32);
    expect(() => checkCharacter('U')).toThrow(RangeError);
  });
});
