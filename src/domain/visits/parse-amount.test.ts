import { describe, it, expect } from 'vitest';
import {
  MAX_AMOUNT_CENTS,
  amountEvidence,
  detectDecimalConvention,
  parseTypedAmount,
  parseAmount,
} from './parse-amount.ts';

const cents = (text: string, convention: 'comma' | 'point' | null) => {
  const r = parseAmount(text, convention);
  return r.ok ? r.cents : r.problem;
};

describe('amount evidence of one cell', () => {
  it.each([
    ['12,50', 'comma'],
    ['1.234,56', 'comma'],
    ['€ 1.234,56', 'comma'],
    ['1.234.567', 'comma'],
    ['0,125', 'comma'],
    [',5', 'comma'],
    ['12.50', 'point'],
    ['1,234.56', 'point'],
    ['1,234,567', 'point'],
    ['1.234', 'either'],
    ['12,500', 'either'],
    ['12', 'none'],
    ['€ 7', 'none'],
    ['', 'none'],
    ['€ 12,-', 'none'],
    ['12,5,0', 'invalid'],
    ['1.23.4', 'invalid'],
    ['1.234.56', 'invalid'],
    ['12,34.56', 'invalid'],
    ['twaalf', 'invalid'],
    ['12,', 'invalid'],
  ])('%s says %s', (text, expected) => {
    expect(amountEvidence(text)).toBe(expected);
  });
});

describe('the decimal convention of a file', () => {
  it('is Dutch when any cell has a decimal comma, even among ambiguous cells', () => {
    expect(detectDecimalConvention(['1.234', '12,50', '7'])).toMatchObject({
      status: 'clear',
      convention: 'comma',
    });
  });

  it('is English when any cell has a decimal point', () => {
    expect(detectDecimalConvention(['1,234', '12.50'])).toMatchObject({
      status: 'clear',
      convention: 'point',
    });
  });

  it('asks when only ambiguous cells are seen, showing them', () => {
    expect(detectDecimalConvention(['1.234', '2.500', '35'])).toEqual({
      status: 'ambiguous',
      convention: null,
      examples: { comma: [], point: [], either: ['1.234', '2.500'] },
    });
  });

  it('asks when the file mixes conventions, with examples of both', () => {
    const verdict = detectDecimalConvention(['12,50', '12.50', '€ 3,10']);
    expect(verdict.status).toBe('conflict');
    expect(verdict.examples.comma).toEqual(['12,50', '€ 3,10']);
    expect(verdict.examples.point).toEqual(['12.50']);
  });

  it('needs no answer when no cell has a separator', () => {
    expect(detectDecimalConvention(['12', '€ 80', ''])).toMatchObject({
      status: 'clear',
      convention: null,
    });
  });
});

describe('parsing an amount into cents', () => {
  it.each([
    ['12,50', 'comma', 1250],
    ['1.234,56', 'comma', 123456],
    ['€ 1.234,56', 'comma', 123456],
    ['€1.234,56', 'comma', 123456],
    ['EUR 99,95', 'comma', 9995],
    ['1\u00a0234,56', 'comma', 123456],
    ['€ 12,-', 'comma', 1200],
    ['12,5', 'comma', 1250],
    ['1.234', 'comma', 123400],
    ['-12,50', 'comma', -1250],
    ['€ -12,50', 'comma', -1250],
    ['-€ 12,50', 'comma', -1250],
    ['12,50-', 'comma', -1250],
    ['(12,50)', 'comma', -1250],
    ['\u221212,50', 'comma', -1250],
    ['12.50', 'point', 1250],
    ['1,234.56', 'point', 123456],
    ['80', null, 8000],
    ['0', 'comma', 0],
  ] as const)('%s (%s) is %i cents', (text, convention, expected) => {
    expect(cents(text, convention)).toBe(expected);
  });

  it('rejects a cell in the other convention instead of reading it a hundred times off', () => {
    expect(cents('12.50', 'comma')).toBe('amount_convention');
    expect(cents('12,50', 'point')).toBe('amount_convention');
    expect(cents('12,50', null)).toBe('amount_convention');
  });

  it('rejects fractions of a cent', () => {
    expect(cents('1.234', 'point')).toBe('amount_precision');
    expect(cents('0,125', 'comma')).toBe('amount_precision');
  });

  it('rejects text and empty cells', () => {
    expect(cents('twaalf', 'comma')).toBe('amount_invalid');
    expect(cents('', 'comma')).toBe('amount_invalid');
    expect(cents('12,5,0', 'comma')).toBe('amount_invalid');
  });

  it('rejects absurd amounts', () => {
    expect(cents('99.999.999.999,00', 'comma')).toBe('amount_range');
  });

  it('takes amounts up to ten million euros exactly, and no cent more', () => {
    expect(cents('10.000.000,00', 'comma')).toBe(MAX_AMOUNT_CENTS);
    expect(cents('10.000.000,01', 'comma')).toBe('amount_range');
    expect(cents('-10.000.000,00', 'comma')).toBe(-MAX_AMOUNT_CENTS);
  });

  it('reads minus zero as zero, and cents without euros', () => {
    expect(Object.is(cents('-0,00', 'comma'), 0)).toBe(true);
    expect(cents(',50', 'comma')).toBe(50);
    expect(cents('.5', 'point')).toBe(50);
  });

  it('reads whole euros written the Dutch way, negative too', () => {
    expect(cents('12,--', 'comma')).toBe(1200);
    expect(cents('-12,-', 'comma')).toBe(-1200);
    expect(cents('€ 1.250,-', 'comma')).toBe(125000);
  });

  it('rejects a cell of spaces, and a minus on both ends', () => {
    expect(cents('   ', 'comma')).toBe('amount_invalid');
    expect(cents('-12,50-', 'comma')).toBe('amount_invalid');
    expect(cents('(-12,50)', 'comma')).toBe('amount_invalid');
  });
});

describe('examples shown when asking for the convention', () => {
  it('keeps at most three cells of each kind, without their spaces around them', () => {
    const verdict = detectDecimalConvention([' 1.234 ', '2.345', '3.456', '4.567', '12,500']);
    expect(verdict.status).toBe('ambiguous');
    expect(verdict.examples.either).toEqual(['1.234', '2.345', '3.456']);
  });
});

describe('an amount typed into a form', () => {
  it('reads 1.250 as twelve hundred and fifty euros for a Dutch person, 1,250 for an English one', () => {
    expect(parseTypedAmount('1.250', 'comma')).toEqual({ ok: true, cents: 125_000 });
    expect(parseTypedAmount('1.25', 'comma')).toEqual({ ok: true, cents: 125 });
    expect(parseTypedAmount('1,250', 'point')).toEqual({ ok: true, cents: 125_000 });
  });

  it('lets the amount itself decide when it can, whatever the language', () => {
    expect(parseTypedAmount('1.250,00', 'point')).toEqual({ ok: true, cents: 125_000 });
    expect(parseTypedAmount('12,50', 'point')).toEqual({ ok: true, cents: 1250 });
    expect(parseTypedAmount('12.50', 'comma')).toEqual({ ok: true, cents: 1250 });
    expect(parseTypedAmount('€ 35', 'comma')).toEqual({ ok: true, cents: 3500 });
    expect(parseTypedAmount('€ 35,-', 'comma')).toEqual({ ok: true, cents: 3500 });
    expect(parseTypedAmount('0', 'comma')).toEqual({ ok: true, cents: 0 });
  });

  it('takes a space as a thousands separator only, not as a missed comma', () => {
    expect(parseTypedAmount('1 250', 'comma')).toEqual({ ok: true, cents: 125_000 });
    expect(parseTypedAmount('€ 1 250,50', 'comma')).toEqual({ ok: true, cents: 125_050 });
    expect(parseTypedAmount('  35 ', 'comma')).toEqual({ ok: true, cents: 3500 });
    expect(parseTypedAmount('12 50', 'comma')).toEqual({ ok: false, problem: 'amount_invalid' });
    expect(parseTypedAmount('1 25', 'point')).toEqual({ ok: false, problem: 'amount_invalid' });
  });

  it('refuses what is no amount, a negative one and a fraction of a cent', () => {
    expect(parseTypedAmount('', 'comma')).toEqual({ ok: false, problem: 'amount_invalid' });
    expect(parseTypedAmount('twaalf', 'comma')).toEqual({ ok: false, problem: 'amount_invalid' });
    expect(parseTypedAmount('-12,50', 'comma')).toEqual({ ok: false, problem: 'amount_invalid' });
    expect(parseTypedAmount('12,505', 'comma')).toEqual({ ok: false, problem: 'amount_precision' });
    expect(parseTypedAmount('1.250', 'point')).toEqual({ ok: false, problem: 'amount_precision' });
  });
});
