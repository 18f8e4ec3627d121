import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { CsvParser, type SourceRow } from './csv-parser.ts';

function parseAll(text: string, delimiter = ';', chunkSize = Infinity): SourceRow[] {
  const parser = new CsvParser(delimiter);
  const rows: SourceRow[] = [];
  if (chunkSize === Infinity) rows.push(...parser.push(text));
  else
    for (let i = 0; i < text.length; i += chunkSize)
      rows.push(...parser.push(text.slice(i, i + chunkSize)));
  rows.push(...parser.end());
  return rows;
}

const problemOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError)
      return `${error.code}:${error.issues[0]?.problem}:${JSON.stringify(error.issues[0]?.params)}`;
    throw error;
  }
  return undefined;
};

describe('CsvParser', () => {
  it('splits records and fields', () => {
    expect(parseAll('Naam;E-mail\nJan;jan@x.nl\n')).toEqual([
      { line: 1, values: ['Naam', 'E-mail'] },
      { line: 2, values: ['Jan', 'jan@x.nl'] },
    ]);
  });

  it('handles quotes, doubled quotes and delimiters inside quotes', () => {
    expect(parseAll('"Jan; de ""Snelle""";"a@b.nl"\n', ';')).toEqual([
      { line: 1, values: ['Jan; de "Snelle"', 'a@b.nl'] },
    ]);
  });

  it('numbers records by the physical line they start on', () => {
    const rows = parseAll('a;b\n1;"multi\nline\r\nvalue"\n\n2;x\r\n3;y\r4;z');
    expect(rows.map((r) => [r.line, r.values[0]])).toEqual([
      [1, 'a'],
      [2, '1'],
      [5, ''],
      [6, '2'],
      [7, '3'],
      [8, '4'],
    ]);
  });

  it('accepts CRLF, LF and CR line ends, and a last line without one', () => {
    expect(parseAll('a\r\nb\nc\rd').map((r) => r.values[0])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps stray quotes inside an unquoted field', () => {
    expect(parseAll('Zoë van \'t Hof;5" scherm\n')[0]?.values).toEqual([
      "Zoë van 't Hof",
      '5" scherm',
    ]);
  });

  it('keeps trailing empty fields', () => {
    expect(parseAll('a;;\n')[0]?.values).toEqual(['a', '', '']);
  });

  it('refuses a quote that never closes, naming the line it opened on', () => {
    expect(
      problemOf(() => parseAll('Naam;E-mail\nJan;jan@x.nl\n"Piet;piet@x.nl\nKees;k@x.nl\n')),
    ).toBe('import_invalid_file:unclosed_quote:{"line":3}');
  });

  it('refuses a record larger than the limit instead of buffering the file', () => {
    const parser = new CsvParser(';', { maxRecordChars: 100 });
    expect(problemOf(() => parser.push(`a;b\n"${'x'.repeat(200)}`))).toBe(
      'import_invalid_file:unclosed_quote:{"line":2}',
    );
  });

  it('gives the same records however the text is chunked', () => {
    const text = 'a;b\n1;"x\r\ny"\n\n2;3\r\n4;5;6\n7\r8;"a""b"\r\n"q"z;\n;;\n"";x';
    const whole = parseAll(text);
    for (const size of [1, 2, 3, 5, 8]) expect(parseAll(text, ';', size)).toEqual(whole);
  });

  it('agrees with csv-parse on well-formed CSV, whatever the chunking', () => {
    const field = fc.oneof(
      fc.string({
        unit: fc.constantFrom('a', 'é', ' ', ',', ';', '"', '\n', '\r\n', 'Z'),
        maxLength: 8,
      }),
      fc.string({ maxLength: 6 }),
    );
    const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 7 }),
        (records, chunk) => {
          const text = records.map((r) => r.map(quote).join(',')).join('\r\n');
          const expected: string[][] = parse(text, { delimiter: ',', relax_column_count: true });
          return (
            JSON.stringify(parseAll(text, ',', chunk).map((r) => r.values)) ===
            JSON.stringify(expected)
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws anything but our typed error on random text', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.oneof(
            fc.constantFrom('"', ';', ',', '\n', '\r', 'a'),
            fc.string({ unit: 'binary', maxLength: 1 }),
          ),
          maxLength: 200,
        }),
        fc.integer({ min: 1, max: 50 }),
        (text, chunk) => {
          // Plain booleans: expect() inside a 500-run property costs seconds.
          try {
            const rows = parseAll(text, ';', chunk);
            return rows.every((r, i) => i === 0 || r.line > (rows[i - 1]?.line ?? 0));
          } catch (error) {
            return error instanceof AppError && error.code === 'import_invalid_file';
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
