import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import {
  buildXlsx,
  buildZip,
  cell,
  sharedStringBomb,
  sheetXml,
} from '../../../test/support/xlsx-files.ts';
import {
  columnNumber,
  excelDate,
  isDateFormat,
  readXlsxRows,
  XLSX_LIMITS,
  type XlsxLimits,
} from './xlsx-reader.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-xlsx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (content: Buffer): string => {
  const p = path.join(dir, `f${++n}.xlsx`);
  fs.writeFileSync(p, content);
  return p;
};

async function rowsOf(p: string, limits?: XlsxLimits) {
  const rows = [];
  for await (const row of readXlsxRows(p, limits)) rows.push(row);
  return rows;
}

async function refusal(p: string, limits?: XlsxLimits) {
  try {
    await rowsOf(p, limits);
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, ...error.issues[0] };
    throw error;
  }
  throw new Error('the file was read');
}

const small = (over: Partial<XlsxLimits>): XlsxLimits => ({ ...XLSX_LIMITS, ...over });

describe('reading an .xlsx', () => {
  it('reads what Excel shows: shared and rich text, numbers, dates, booleans, formulas', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Klanten');
    sheet.addRow(['Naam', 'E-mail', 'Klant sinds', 'Actief', 'Nummer', 'Formule']);
    sheet.addRow([
      { richText: [{ text: 'Zoë ' }, { text: 'Hof', font: { bold: true } }] },
      { text: 'zoe@example.nl', hyperlink: 'mailto:zoe@example.nl' },
      new Date(Date.UTC(2024, 0, 2)),
      true,
      612345678,
      { formula: 'B2', result: 'zoe@example.nl' },
    ]);
    sheet.addRow([]);
    sheet.addRow(['Renée', 'renee@example.nl', new Date(Date.UTC(2024, 0, 2, 13, 5)), false, 0.5]);
    workbook.addWorksheet('Notities').addRow(['niet importeren']);
    const rows = await rowsOf(file(Buffer.from(await workbook.xlsx.writeBuffer())));
    expect(rows.filter((r) => r.values.some((v) => v !== ''))).toEqual([
      { line: 1, values: ['Naam', 'E-mail', 'Klant sinds', 'Actief', 'Nummer', 'Formule'] },
      {
        line: 2,
        values: ['Zoë Hof', 'zoe@example.nl', '2024-01-02', 'true', '612345678', 'zoe@example.nl'],
      },
      { line: 4, values: ['Renée', 'renee@example.nl', '2024-01-02 13:05:00', 'false', '0.5'] },
    ]);
  });

  it('reads a calculated amount as the amount Excel shows, not its last binary digits', async () => {
    const p = file(
      await buildXlsx({
        sheet: sheetXml(
          `<row r="1">${cell('A1', 'Bedrag')}</row>` +
            // What Excel stores for =100*1,21 and =9,99+10: the double with 17 significant digits.
            `<row r="2"><c r="A2"><f>100*1.21</f><v>121.00000000000001</v></c></row>` +
            `<row r="3"><c r="A3"><f>9.99+10</f><v>19.990000000000002</v></c></row>` +
            `<row r="4"><c r="A4"><v>123456789012345</v></c></row>`,
        ),
      }),
    );
    expect((await rowsOf(p)).slice(1).map((r) => r.values[0])).toEqual([
      '121',
      '19.99',
      '123456789012345',
    ]);
  });

  it('knows date formats and Excel serial days', () => {
    expect(isDateFormat('d-m-yyyy')).toBe(true);
    expect(isDateFormat('[$-413]dddd d mmmm yyyy')).toBe(true);
    expect(isDateFormat('hh:mm')).toBe(true);
    expect(isDateFormat('0.00')).toBe(false);
    expect(isDateFormat('"dag "0')).toBe(false);
    expect(isDateFormat('#,##0;[Red]-#,##0')).toBe(false);
    expect(excelDate(45293, false).toISOString()).toBe('2024-01-02T00:00:00.000Z');
    expect(excelDate(43831, true).toISOString()).toBe('2024-01-02T00:00:00.000Z');
    expect(columnNumber('XFD')).toBe(16384);
  });
});

describe('a hostile .xlsx', () => {
  it('refuses a shared-string table that says it unpacks to 300 MB, without unpacking it', async () => {
    const bomb = await sharedStringBomb(300);
    expect(bomb.length).toBeLessThan(3 * 1024 * 1024);
    const started = Date.now();
    expect(await refusal(file(bomb))).toMatchObject({
      code: 'import_invalid_file',
      problem: 'xlsx_too_big',
      params: { mb: 256 },
    });
    expect(Date.now() - started).toBeLessThan(1000);
  }, 60_000);

  it('stops a table that lies about its size where the lie ends', async () => {
    const bomb = await sharedStringBomb(64, 4096);
    expect(await refusal(file(bomb))).toMatchObject({ problem: 'unreadable_xlsx' });
  });

  it('stops at the unpacked-bytes budget however the sizes add up', async () => {
    const bomb = await sharedStringBomb(16);
    expect(await refusal(file(bomb), small({ maxUnpackedBytes: 8 * 1024 * 1024 }))).toMatchObject({
      problem: 'xlsx_too_big',
      params: { mb: 8 },
    });
  });

  it('caps the number of shared strings and their characters', async () => {
    const strings = (count: number, text: string) => () =>
      [
        Buffer.from('<sst>'),
        ...Array.from({ length: count }, () => Buffer.from(`<si><t>${text}</t></si>`)),
        Buffer.from('</sst>'),
      ][Symbol.iterator]();
    const many = await buildXlsx({ sharedStrings: strings(1001, 'x'), sheet: sheetXml('') });
    expect(await refusal(file(many), small({ maxSharedStrings: 1000 }))).toMatchObject({
      problem: 'xlsx_too_many_strings',
      params: { max: 1000 },
    });
    const long = await buildXlsx({
      sharedStrings: strings(20, 'y'.repeat(100)),
      sheet: sheetXml(''),
    });
    expect(await refusal(file(long), small({ maxSharedStringChars: 1000 }))).toMatchObject({
      problem: 'xlsx_too_many_strings',
    });
  });

  it('refuses a value in column XFD, naming the line and the column', async () => {
    const rows = Array.from(
      { length: 1000 },
      (_, i) => `<row r="${i + 1}">${cell(`A${i + 1}`, 'Naam')}${cell(`XFD${i + 1}`, 'x')}</row>`,
    ).join('');
    expect(await refusal(file(await buildXlsx({ sheet: sheetXml(rows) })))).toMatchObject({
      problem: 'too_many_columns_in_row',
      params: { line: 1, column: 'XFD', max: 200 },
    });
  });

  it('ignores empty formatted cells far to the right instead of widening every row', async () => {
    const rows = Array.from(
      { length: 5000 },
      (_, i) =>
        `<row r="${i + 1}">${cell(`A${i + 1}`, 'Jan')}${cell(`B${i + 1}`, `j${i}@x.nl`)}<c r="XFD${i + 1}" s="1"/></row>`,
    ).join('');
    const read = await rowsOf(file(await buildXlsx({ sheet: sheetXml(rows) })));
    expect(read).toHaveLength(5000);
    expect(Math.max(...read.map((r) => r.values.length))).toBe(2);
  });

  it('refuses one cell longer than any Excel cell can be', async () => {
    const sheet = sheetXml(`<row r="1">${cell('A1', 'z'.repeat(300 * 1024))}</row>`);
    expect(await refusal(file(await buildXlsx({ sheet })))).toMatchObject({
      problem: 'xlsx_cell_too_long',
    });
  });

  it('says a zip without a worksheet is unreadable', async () => {
    const zip = await buildZip([{ name: 'hello.txt', content: 'hello' }]);
    expect(await refusal(file(zip))).toMatchObject({ problem: 'unreadable_xlsx' });
  });
});
