/**
 * Codes people read aloud and type: an ambassador's short code ("mention K7M2QX4 at the counter")
 * and a voucher's code ("7KQ2-M9XD-4TB8"). Pure: the caller supplies the random bytes.
 *
 * Alphabet: Crockford's base 32 (no I, L, O, U), so a code read over the phone or off a crumpled
 * voucher survives: typed O is 0, I and L are 1. The last character is a Luhn mod 32 check
 * character: every single wrong character and every swap of two neighbours (but Luhn's one twin,
 * 0 and Z) is caught before a lookup, so a typo gets "check the code" instead of counting as a guess. Links never use these
 * codes: they carry tokens of at least 128 bits (`LINK_TOKEN_BYTES`).
 *
 * Entropy and guessing: a voucher code has 55 random bits and an ambassador code 30; both are
 * looked up only on rate-limited screens that lock after repeated misses (per organisation and per
 * address), so guessing one is hopeless: with 10,000 live vouchers a single guess hits with
 * probability 10,000 / 2^55 ≈ 3 · 10^-13.
 */

export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Random bytes in a public link token: 16 bytes, 128 bits (the issue asks for at least 64). */
export const LINK_TOKEN_BYTES = 16;

export type CodeKind = 'voucher' | 'ambassador';

/** Random characters (each 5 bits) before the check character. */
export const CODE_BODY_LENGTH: Readonly<Record<CodeKind, number>> = {
  voucher: 11,
  ambassador: 6,
};

/** Bits of entropy of a code of this kind. */
export const codeEntropyBits = (kind: CodeKind): number => CODE_BODY_LENGTH[kind] * 5;

/** Random bytes a caller must supply for one code of this kind (one byte per character). */
export const randomBytesFor = (kind: CodeKind): number => CODE_BODY_LENGTH[kind];

/** Luhn mod N over the alphabet: the check character for a body. */
export function checkCharacter(body: string): string {
  const n = ALPHABET.length;
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    const value = ALPHABET.indexOf(body.charAt(i));
    if (value < 0) throw new RangeError(`not a code character: ${body.charAt(i)}`);
    let addend = factor * value;
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / n) + (addend % n);
    sum += addend;
  }
  return ALPHABET.charAt((n - (sum % n)) % n);
}

/**
 * A new code from random bytes (one per character; only the low 5 bits are used, so every
 * character is uniform). Returned without separators, as stored.
 */
export function makeCode(kind: CodeKind, random: Uint8Array): string {
  const length = CODE_BODY_LENGTH[kind];
  if (random.length < length) throw new RangeError(`need ${length} random bytes`);
  let body = '';
  for (let i = 0; i < length; i++) body += ALPHABET.charAt((random[i] ?? 0) & 31);
  return body + checkCharacter(body);
}

/** A stored code as printed: voucher codes in groups of four, ambassador codes as they are. */
export function formatCode(code: string): string {
  if (code.length <= 7) return code;
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

export type ParsedCode =
  { ok: true; code: string } | { ok: false; problem: 'empty' | 'length' | 'character' | 'check' };

/**
 * What a person typed, as a stored code: case, spaces and dashes ignored, O read as 0 and I/L as
 * 1. A wrong check character is `check` (a typo, not a guess).
 */
export function parseCode(kind: CodeKind, input: string): ParsedCode {
  const folded = input
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (folded.length === 0) return { ok: false, problem: 'empty' };
  if (folded.length !== CODE_BODY_LENGTH[kind] + 1) return { ok: false, problem: 'length' };
  for (const ch of folded) if (!ALPHABET.includes(ch)) return { ok: false, problem: 'character' };
  const body = folded.slice(0, -1);
  if (checkCharacter(body) !== folded.slice(-1)) return { ok: false, problem: 'check' };
  return { ok: true, code: folded };
}
