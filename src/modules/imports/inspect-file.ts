import fs from 'node:fs';
import { detectDelimiter, type Delimiter } from './detect-delimiter.ts';
import { EncodingSniffer, decodeText, looksBinary, type TextEncoding } from './detect-encoding.ts';
import { suggestMapping, type ColumnMapping } from './header-mapping.ts';
import { invalidFile, readRows, type FileShape, type SourceRow } from './read-rows.ts';

/** What the upload step learns about a file: shown to the user for the mapping step. */
export interface Inspection {
  shape: FileShape;
  encoding: TextEncoding | null;
  delimiter: Delimiter | null;
  headerLine: number;
  headers: string[];
  suggestedMapping: ColumnMapping;
  /** The first rows, cells aligned with `headers` and cut to 200 characters. */
  preview: SourceRow[];
  /** Data rows (blank rows not counted): the progress bar's 100 %. */
  totalRows: number;
}

export const MAX_COLUMNS = 200;
export const PREVIEW_ROWS = 10;
const SAMPLE_BYTES = 64 * 1024;
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean =>
  magic.every((b, i) => bytes[i] === b);

/**
 * Header cells as keys of the mapping: trimmed, one space between words, unique (a second
 * `Telefoon` becomes `Telefoon (2)`), and never empty (an unnamed third column is `#3`).
 */
export function normaliseHeaders(values: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return values.map((raw, i) => {
    let header = raw
      .replace(/\uFEFF/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 300);
    if (header === '' || header === '__proto__') header = `#${i + 1}`;
    const count = (seen.get(header) ?? 0) + 1;
    seen.set(header, count);
    return count === 1 ? header : `${header} (${count})`;
  });
}

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function sniffCsv(path: string): Promise<{ encoding: TextEncoding; sample: Uint8Array }> {
  const sniffer = new EncodingSniffer();
  const parts: Buffer[] = [];
  let kept = 0;
  for await (const chunk of fs.createReadStream(path, { highWaterMark: 256 * 1024 })) {
    const buf = chunk as Buffer;
    sniffer.push(buf);
    if (kept < SAMPLE_BYTES) {
      parts.push(buf.subarray(0, SAMPLE_BYTES - kept));
      kept += Math.min(buf.length, SAMPLE_BYTES - kept);
    }
  }
  return { encoding: sniffer.result().encoding, sample: Buffer.concat(parts) };
}

/**
 * Reads a stored upload once from start to end: format (by content, not by name), encoding,
 * delimiter, headers, a preview and the number of rows. Reading it all at upload means a broken
 * file (an unclosed quote on line 80,000) is refused right away with a clear reason instead of
 * failing halfway through validation.
 */
export async function inspectFile(path: string): Promise<Inspection> {
  const head = Buffer.alloc(8);
  const handle = await fs.promises.open(path, 'r');
  let headBytes: number;
  try {
    ({ bytesRead: headBytes } = await handle.read(head, 0, 8, 0));
  } finally {
    await handle.close();
  }
  if (headBytes === 0) throw invalidFile('empty_file');
  if (startsWith(head, OLE)) throw invalidFile('xls_not_supported');

  let shape: FileShape;
  if (startsWith(head, ZIP)) {
    shape = { format: 'xlsx' };
  } else {
    const { encoding, sample } = await sniffCsv(path);
    const text = decodeText(sample, encoding);
    if (looksBinary(text)) throw invalidFile('not_a_spreadsheet');
    if (text.trim() === '') throw invalidFile('empty_file');
    shape = { format: 'csv', encoding, delimiter: detectDelimiter(text) };
  }

  let headers: string[] | null = null;
  let headerLine = 0;
  const preview: SourceRow[] = [];
  let totalRows = 0;
  for await (const row of readRows(path, shape)) {
    if (!headers) {
      if (row.values.length > MAX_COLUMNS)
        throw invalidFile('too_many_columns', { max: MAX_COLUMNS });
      if (row.values.some((v) => EMAIL_LIKE.test(v))) throw invalidFile('no_header');
      headers = normaliseHeaders(row.values);
      headerLine = row.line;
      continue;
    }
    totalRows++;
    if (preview.length < PREVIEW_ROWS) {
      preview.push({
        line: row.line,
        values: headers.map((_, i) => (row.values[i] ?? '').slice(0, 200)),
      });
    }
  }
  if (!headers) throw invalidFile(shape.format === 'xlsx' ? 'empty_file' : 'no_header');
  return {
    shape,
    encoding: shape.format === 'csv' ? shape.encoding : null,
    delimiter: shape.format === 'csv' ? shape.delimiter : null,
    headerLine,
    headers,
    suggestedMapping: suggestMapping(headers),
    preview,
    totalRows,
  };
}
