import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { inspectFile, normaliseHeaders } from './inspect-file.ts';
import { readRows } from './read-rows.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-inspect-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: Buffer | string, ext = 'csv'): string {
  const p = path.join(dir, `f${++n}.${ext}`);
  fs.writeFileSync(p, content);
  return p;
}

async function problemOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.issues[0]?.problem;
    throw error;
  }
}

describe('normaliseHeaders', () => {
  it('trims, names empty headers and makes duplicates unique', () => {
    expect(normaliseHeaders(['\uFEFFNaam ', '', 'Telefoon', 'Telefoon', ' E-mail  adres'])).toEqual(
      ['Naam', '#2', 'Telefoon', 'Telefoon (2)', 'E-mail adres'],
    );
  });
});

describe('inspectFile', () => {
  it('counts rows and previews them, skipping blank lines', async () => {
    const p = file('Naam;E-mailadres\r\nA;a@x.nl\r\n\r\n;\r\nB;b@x.nl\r\n');
    const result = await inspectFile(p);
    expect(result).toMatchObject({
      shape: { format: 'csv', encoding: 'utf-8', delimiter: ';' },
      headerLine: 1,
      headers: ['Naam', 'E-mailadres'],
      totalRows: 2,
      preview: [
        { line: 2, values: ['A', 'a@x.nl'] },
        { line: 5, values: ['B', 'b@x.nl'] },
      ],
    });
  });

  it('reads Windows-1252 even when the first accent is far down the file', async () => {
    const rows = ['Naam;E-mail'];
    for (let i = 0; i < 5000; i++) rows.push(`Klant ${i};k${i}@x.nl`);
    rows.push('Zoë;zoe@x.nl');
    const p = file(iconv.encode(rows.join('\n'), 'win1252'));
    const result = await inspectFile(p);
    expect(result.encoding).toBe('windows-1252');
    let last = '';
    for await (const row of readRows(p, result.shape)) last = row.values[0] ?? '';
    expect(last).toBe('Zoë');
  });

  it('reads UTF-16 "Unicode text" with tabs', async () => {
    const p = file(
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        iconv.encode('Naam\tE-mail\nRenée\tr@x.nl\n', 'utf16le'),
      ]),
    );
    expect(await inspectFile(p)).toMatchObject({
      encoding: 'utf-16le',
      delimiter: '\t',
      preview: [{ values: ['Renée', 'r@x.nl'] }],
    });
  });

  it('recognises an .xlsx by its content, whatever its name', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Blad1').addRow(['Naam', 'E-mail']);
    workbook.getWorksheet('Blad1')?.addRow(['Jan', 'jan@x.nl']);
    const p = file(Buffer.from(await workbook.xlsx.writeBuffer()), 'csv');
    expect(await inspectFile(p)).toMatchObject({ shape: { format: 'xlsx' }, totalRows: 1 });
  });

  it('names what is wrong with a file that is not a spreadsheet', async () => {
    expect(await problemOf(inspectFile(file('')))).toBe('empty_file');
    expect(await problemOf(inspectFile(file('\n\n  \n')))).toBe('empty_file');
    expect(await problemOf(inspectFile(file(';;;\n;;\n')))).toBe('no_header');
    expect(
      await problemOf(
        inspectFile(file(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))),
      ),
    ).toBe('xls_not_supported');
    expect(await problemOf(inspectFile(file(Buffer.from('PK\x03\x04garbage garbage'))))).toBe(
      'unreadable_xlsx',
    );
    expect(
      await problemOf(
        inspectFile(file(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2, 3]))),
      ),
    ).toBe('not_a_spreadsheet');
    expect(
      await problemOf(inspectFile(file(Array.from({ length: 201 }, (_, i) => `k${i}`).join(';')))),
    ).toBe('too_many_columns');
  });

  it('never fails on random bytes with anything but our typed error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc
            .string({
              unit: fc.constantFrom('a', ';', ',', '"', '\n', '\r', 'é', '@', '\t', '\u0000'),
              maxLength: 300,
            })
            .map((s) => Buffer.from(s)),
          fc
            .uint8Array({ maxLength: 300 })
            .map((b) => Buffer.concat([Buffer.from('PK\x03\x04'), b])),
        ),
        async (bytes) => {
          const p = file(Buffer.from(bytes));
          try {
            const result = await inspectFile(p);
            return result.headers.length > 0 && result.preview.length <= 10;
          } catch (error) {
            return error instanceof AppError && error.code === 'import_invalid_file';
          } finally {
            fs.rmSync(p, { force: true });
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
