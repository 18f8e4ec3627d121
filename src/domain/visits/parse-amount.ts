/**
 * Amounts in euros as Dutch (and not so Dutch) systems export them: `12,50`, `1.234,56`,
 * `€ 1.234,56`, `€ 12,-`, `-12,50`, but also `12.50` or `1,234.56` from an English export.
 *
 * The decimal separator is decided per file, never per cell: `1.234` is twelve hundred in a Dutch
 * file and one euro twenty-three in an English one, and a reader cannot tell from the cell alone.
 * So every cell gives evidence, the file's evidence is summed up, and when it does not settle the
 * question the person importing is asked — the amount is never guessed silently.
 */

/** `comma`: 1.234,56 (Dutch); `point`: 1,234.56 (English). */
export type DecimalConvention = 'comma' | 'point';

/**
 * What one cell says about the convention: it needs `comma` or `point`; `either` reads under both
 * but with different values (`1.234`); `none` reads the same under both (`12`, `€ 7`).
 */
export type AmountEvidence = DecimalConvention | 'either' | 'none' | 'invalid';

/** The numeric core of a cell: sign and digits with separators, currency and spaces removed. */
type Core = { negative: boolean; body: string };

const CURRENCY = /€|euro?/gi;

function coreOf(text: string): Core | null {
  let s = text.replace(/[\s\u00a0\u202f]/g, '').replace(CURRENCY, '');
  let negative = false;
  // A trailing minus (−, -) or accounting parentheses; a leading minus below.
  if (/[-\u2212]$/.test(s) && !/[.,][-\u2212]+$/.test(s)) {
    negative = true;
    s = s.slice(0, -1);
  } else if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (/^[-\u2212]/.test(s) && !negative) {
    negative = true;
    s = s.slice(1);
  }
  // `12,-` and `12,--`: whole euros, as on Dutch price tags.
  s = s.replace(/^(\d[\d.,]*)[.,][-\u2212]{1,2}$/, '$1');
  if (!/^\d[\d.,]*$/.test(s) && !/^[.,]\d+$/.test(s)) return null;
  return { negative, body: s };
}

const GROUPED = /^\d{1,3}(?:SEP\d{3})+$/;
const grouped = (integer: string, sep: string): boolean =>
  new RegExp(GROUPED.source.replace('SEP', sep === '.' ? '\\.' : ',')).test(integer);

/** What a cell says about the file's decimal separator. Empty cells say `none`. */
export function amountEvidence(text: string): AmountEvidence {
  if (text.trim() === '') return 'none';
  const core = coreOf(text);
  if (!core) return 'invalid';
  const { body } = core;
  const dots = body.split('.').length - 1;
  const commas = body.split(',').length - 1;
  if (dots === 0 && commas === 0) return 'none';
  if (dots > 0 && commas > 0) {
    const decimal = body.lastIndexOf('.') > body.lastIndexOf(',') ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    const [integer, fraction] = splitLast(body, decimal);
    if (body.split(decimal).length - 1 !== 1 || !grouped(integer, group) || fraction === '') {
      return 'invalid';
    }
    return decimal === ',' ? 'comma' : 'point';
  }
  const sep = dots > 0 ? '.' : ',';
  const count = dots + commas;
  if (count > 1) {
    // 1.234.567: only a grouping separator repeats, so the other one is the decimal.
    return grouped(body, sep) ? (sep === '.' ? 'comma' : 'point') : 'invalid';
  }
  const [integer, fraction] = splitLast(body, sep);
  if (fraction.length === 3 && integer !== '' && integer !== '0' && integer.length <= 3) {
    return 'either';
  }
  if (fraction === '') return 'invalid';
  return sep === ',' ? 'comma' : 'point';
}

function splitLast(body: string, sep: string): [string, string] {
  const at = body.lastIndexOf(sep);
  return [body.slice(0, at), body.slice(at + 1)];
}

/**
 * The file's convention from all its amount cells:
 * - `clear`: evidence points one way (or the cells read the same either way: `convention` null);
 * - `ambiguous`: only cells like `1.234` — ask which separator the file uses;
 * - `conflict`: cells point both ways (`12,50` and `12.50`) — ask, and the cells that disagree with
 *   the answer are rejected with their line.
 */
export type ConventionVerdict = Readonly<{
  status: 'clear' | 'ambiguous' | 'conflict';
  convention: DecimalConvention | null;
  /** Up to three cells of each kind, to show when asking. */
  examples: Readonly<{
    comma: readonly string[];
    point: readonly string[];
    either: readonly string[];
  }>;
}>;

/**
 * Sums up the evidence cell by cell, for files read as a stream (an import of a million rows keeps
 * three counters and nine examples, not the cells).
 */
export function conventionTally(): { add(cell: string): void; verdict(): ConventionVerdict } {
  const examples = { comma: [] as string[], point: [] as string[], either: [] as string[] };
  const seen = { comma: 0, point: 0, either: 0 };
  return {
    add(cell) {
      const evidence = amountEvidence(cell);
      if (evidence === 'comma' || evidence === 'point' || evidence === 'either') {
        seen[evidence]++;
        if (examples[evidence].length < 3) examples[evidence].push(cell.trim());
      }
    },
    verdict() {
      if (seen.comma > 0 && seen.point > 0) {
        return { status: 'conflict', convention: null, examples };
      }
      if (seen.comma > 0) return { status: 'clear', convention: 'comma', examples };
      if (seen.point > 0) return { status: 'clear', convention: 'point', examples };
      if (seen.either > 0) return { status: 'ambiguous', convention: null, examples };
      return { status: 'clear', convention: null, examples };
    },
  };
}

export function detectDecimalConvention(cells: Iterable<string>): ConventionVerdict {
  const tally = conventionTally();
  for (const cell of cells) tally.add(cell);
  return tally.verdict();
}

export type AmountProblem =
  /** Not a number at all. */
  | 'amount_invalid'
  /** A number, but not in the file's convention (`12.50` in a file with decimal commas). */
  | 'amount_convention'
  /** More than two decimals: not a whole number of cents. */
  | 'amount_precision'
  /** Beyond ± € 10 million: a typo more likely than a workshop invoice. */
  | 'amount_range';

export const MAX_AMOUNT_CENTS = 1_000_000_000;

/**
 * The amount in cents (an integer, so sums are exact) under the file's convention; null convention
 * means "the file had no separators" and then any separator in this cell is a problem.
 */
export function parseAmount(
  text: string,
  convention: DecimalConvention | null,
): { ok: true; cents: number } | { ok: false; problem: AmountProblem } {
  const evidence = amountEvidence(text);
  const core = coreOf(text);
  if (evidence === 'invalid' || !core || text.trim() === '') {
    return { ok: false, problem: 'amount_invalid' };
  }
  let euros: string;
  let cents: string;
  if (evidence === 'none') {
    euros = core.body;
    cents = '';
  } else {
    if (!convention || (evidence !== 'either' && evidence !== convention)) {
      return { ok: false, problem: 'amount_convention' };
    }
    const decimal = convention === 'comma' ? ',' : '.';
    const group = convention === 'comma' ? '.' : ',';
    if (core.body.includes(decimal)) {
      [euros, cents] = splitLast(core.body, decimal);
    } else {
      euros = core.body;
      cents = '';
    }
    euros = euros.split(group).join('');
  }
  if (cents.length > 2) return { ok: false, problem: 'amount_precision' };
  const value = Number(euros === '' ? '0' : euros) * 100 + Number(cents.padEnd(2, '0') || '0');
  if (!Number.isSafeInteger(value) || value > MAX_AMOUNT_CENTS) {
    return { ok: false, problem: 'amount_range' };
  }
  return { ok: true, cents: core.negative && value !== 0 ? -value : value };
}

/**
 * One amount a person typed into a form, in cents. The cell itself decides when it can (`12,50`,
 * `1.250,00`, `12.50`); `1.250` and `1,250`, which read either way, and amounts without
 * separators take the convention of the person's language (Dutch: `1.250` is twelve hundred and
 * fifty euros, not one euro twenty-five). `€` and `,-` are allowed, and spaces only between the
 * currency and the number or as a thousands separator (`1 250`): `12 50`, a missed comma, is no
 * amount rather than twelve hundred and fifty euros. Negative amounts are not (a form asks for a
 * price or a cost).
 */
export function parseTypedAmount(
  text: string,
  convention: DecimalConvention,
): { ok: true; cents: number } | { ok: false; problem: AmountProblem } {
  const digits = text.trim().replace(/^(€|euro?)\s*/i, '');
  if (/\d\s+\d/.test(digits) && !/^\d{1,3}(\s\d{3})+([.,]\d*)?(\s*(€|euro?))?$/i.test(digits)) {
    return { ok: false, problem: 'amount_invalid' };
  }
  const evidence = amountEvidence(text);
  const parsed = parseAmount(
    text,
    evidence === 'comma' || evidence === 'point' ? evidence : convention,
  );
  if (parsed.ok && parsed.cents < 0) return { ok: false, problem: 'amount_invalid' };
  return parsed;
}
