import fs from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError } from '../../shared/errors.ts';
import { CsvParser, invalidFile, type SourceRow } from './csv-parser.ts';
import type { Delimiter } from './detect-delimiter.ts';
import { iconvName, type TextEncoding } from './detect-encoding.ts';

export { invalidFile, type SourceRow };

/** How to read a stored file, as detected at upload (see inspect-file.ts). */
export type FileShape =
  { format: 'csv'; encoding: TextEncoding; delimiter: Delimiter } | { format: 'xlsx' };

/** Cells are trimmed and NUL-free: PostgreSQL text cannot hold NUL and SQLite would keep it. */
function clean(value: string): string {
  const trimmed = value.trim();
  return trimmed.includes('\0') ? trimmed.replaceAll('\0', '') : trimmed;
}

const isBlank = (values: readonly string[]): boolean => values.every((v) => v === '');

async function* readCsv(
  path: string,
  encoding: TextEncoding,
  delimiter: Delimiter,
): AsyncGenerator<SourceRow> {
  const decoder = iconv.getDecoder(iconvName(encoding), { stripBOM: true });
  const parser = new CsvParser(delimiter);
  // The stream's async iterator closes the file when the consumer stops early (the preview).
  for await (const chunk of fs.createReadStream(path, { highWaterMark: 256 * 1024 })) {
    for (const row of parser.push(decoder.write(chunk as Buffer))) {
      row.values = row.values.map(clean);
      if (!isBlank(row.values)) yield row;
    }
  }
  for (const row of parser.push(decoder.end() ?? '').concat(parser.end())) {
    row.values = row.values.map(clean);
    if (!isBlank(row.values)) yield row;
  }
}

/** Excel cell values (numbers, dates, rich text, formulas, hyperlinks) as the text a user sees. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (typeof value === 'object') {
    const v = value as {
      richText?: unknown;
      text?: unknown;
      result?: unknown;
      error?: unknown;
    };
    if (Array.isArray(v.richText)) {
      return v.richText
        .map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : ''))
        .join('');
    }
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
  }
  return '';
}

async function* readXlsx(path: string): AsyncGenerator<SourceRow> {
  // Our own stream, so stopping early (an error in the consumer) closes the file too.
  const input = fs.createReadStream(path, { highWaterMark: 256 * 1024 });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'emit',
  });
  let first = true;
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        // Later worksheets are read to the end but not used: the first sheet is the import.
        if (!first) continue;
        const raw = row.values as unknown[];
        const values: string[] = [];
        for (let i = 1; i < raw.length; i++) values.push(clean(cellText(raw[i])));
        if (!isBlank(values)) yield { line: row.number, values };
      }
      first = false;
    }
  } catch (error) {
    // A system error (ENOENT, EACCES, …) is not the file's fault; everything else is a broken file.
    if (error instanceof AppError || (error instanceof Error && 'syscall' in error)) throw error;
    throw invalidFile('unreadable_xlsx');
  } finally {
    input.destroy();
  }
}

/**
 * Streams the records of a stored CSV or .xlsx file, blank records skipped, one at a time: memory
 * stays flat however large the file. Malformed content ends the stream with `import_invalid_file`
 * naming the line; nothing else about the content can make it throw.
 */
export function readRows(path: string, shape: FileShape): AsyncGenerator<SourceRow> {
  return shape.format === 'csv' ? readCsv(path, shape.encoding, shape.delimiter) : readXlsx(path);
}
