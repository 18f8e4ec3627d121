import iconv from 'iconv-lite';
import type { Delimiter } from './detect-delimiter.ts';
import { iconvName, type TextEncoding } from './detect-encoding.ts';

/**
 * Writes rows as CSV the way the owner's file was: the same delimiter and encoding (Excel's
 * Windows-1252 export comes back as Windows-1252), CRLF line ends, and a byte-order mark for the
 * Unicode encodings, without which Excel reads UTF-8 as Windows-1252. A cell is quoted when it holds
 * the delimiter, a quote or a line break, with quotes doubled (RFC 4180).
 */
export function writeCsv(
  rows: readonly (readonly string[])[],
  options: { encoding: TextEncoding; delimiter: Delimiter },
): Buffer {
  const { delimiter } = options;
  const text = rows
    .map((row) =>
      row
        .map((cell) =>
          cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell,
        )
        .join(delimiter),
    )
    .join('\r\n')
    .concat('\r\n');
  const body = iconv.encode(text, iconvName(options.encoding));
  const bom =
    options.encoding === 'windows-1252'
      ? Buffer.alloc(0)
      : iconv.encode('\uFEFF', iconvName(options.encoding));
  return Buffer.concat([bom, body]);
}
