import fs from 'node:fs';
import iconv from 'iconv-lite';
import { CsvParser, invalidFile, type SourceRow } from './csv-parser.ts';
import type { Delimiter } from './detect-delimiter.ts';
import { iconvName, type TextEncoding } from './detect-encoding.ts';
import { readXlsxRows } from './xlsx-reader.ts';

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

async function* readXlsx(path: string): AsyncGenerator<SourceRow> {
  for await (const row of readXlsxRows(path)) {
    const values = row.values.map(clean);
    if (!isBlank(values)) yield { line: row.line, values };
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
