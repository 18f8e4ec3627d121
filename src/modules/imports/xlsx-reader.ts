import { Transform, type Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import yauzl from 'yauzl';
import { AppError } from '../../shared/errors.ts';
import { invalidFile, type SourceRow } from './csv-parser.ts';

/**
 * Limits on what an .xlsx may unpack to. A workbook is a zip of XML files, and zip compresses
 * repetitive XML a thousandfold: a 2 MB upload can unpack to gigabytes. Every limit is checked
 * while the data is produced (declared sizes first, then the bytes that really come out of the
 * inflater), so memory and CPU stay bounded whatever the file claims.
 */
export interface XlsxLimits {
  /** XML bytes read from the zip in total (workbook, styles, shared strings, the sheet). */
  maxUnpackedBytes: number;
  /** Entries in the zip's directory. */
  maxEntries: number;
  /** Distinct strings in the shared-string table. */
  maxSharedStrings: number;
  /** Characters of all shared strings together (what stays in memory while the sheet is read). */
  maxSharedStringChars: number;
  /** Columns read; a value further right is refused, an empty formatted cell is ignored. */
  maxColumns: number;
  /**
   * Characters of text between two XML tags, as stored (escaped): one cell value. Excel's own limit
   * is 32,767 characters a cell, at most six stored characters each (`&quot;`).
   */
  maxTextChars: number;
}

/** A 100,000-row export with 30 columns unpacks to about 150 MB; these leave room and no more. */
export const XLSX_LIMITS: XlsxLimits = {
  maxUnpackedBytes: 256 * 1024 * 1024,
  maxEntries: 2_000,
  maxSharedStrings: 2_000_000,
  maxSharedStringChars: 32 * 1024 * 1024,
  maxColumns: 200,
  maxTextChars: 256 * 1024,
};

const MB = 1024 * 1024;

/** Column letters (`XFD`) to a 1-based number (16384). */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const c of letters.toUpperCase()) n = n * 26 + (c.charCodeAt(0) - 64);
  return n;
}

function columnLetters(n: number): string {
  let s = '';
  for (let v = n; v > 0; v = Math.floor((v - 1) / 26))
    s = String.fromCharCode(65 + ((v - 1) % 26)) + s;
  return s;
}

// Built-in number formats that show a date or time (ECMA-376 part 1, 18.8.30).
const DATE_FORMAT_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51,
  52, 53, 54, 55, 56, 57, 58,
]);

/** A custom number format shows a date when it has date or time letters outside quotes and [..]. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '')
    .replace(/_.|\*./g, '');
  // The first section only: `0;[Red]0` is a number, `d-m-yyyy;@` is a date.
  const first = bare.split(';')[0] ?? '';
  return /[dmyhs]/i.test(first) && !/^(general|@)$/i.test(first.trim());
}

/** An Excel serial day (days since 1899-12-30; 1904 system: since 1904-01-01) as a UTC date. */
export function excelDate(serial: number, date1904: boolean): Date {
  const days = serial + (date1904 ? 1462 : 0) - 25569;
  return new Date(Math.round(days * 86_400_000));
}

/** A date as the text a user sees: `2024-01-02`, or `2024-01-02 13:05:00` with a time. */
export function dateText(value: Date): string {
  if (Number.isNaN(value.getTime())) return '';
  const iso = value.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}

/**
 * A number cell as Excel shows it: at most 15 significant digits, Excel's own precision. A
 * formula's result is stored with 17 (`=100*1,21` as 121.00000000000001), which read as is would
 * be an amount with a fraction of a cent.
 */
const numberText = (raw: string): string => {
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? String(Number(n.toPrecision(15))) : '';
};

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(
      path,
      { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false },
      (error, zip) => (error ? reject(error) : resolve(zip)),
    );
  });
}

async function listEntries(zip: yauzl.ZipFile, max: number): Promise<Map<string, yauzl.Entry>> {
  if (zip.entryCount > max) throw invalidFile('unreadable_xlsx');
  return new Promise((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>();
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName.replace(/^\/+/, ''), entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

interface Handlers {
  opentag?: (node: SaxesTagPlain) => void;
  closetag?: (node: SaxesTagPlain) => void;
  text?: (text: string) => void;
}
type On = <E extends keyof Handlers>(event: E, handler: NonNullable<Handlers[E]>) => void;

/**
 * Reads one XML entry with a streaming parser, calling `handlers` per event and `afterChunk`
 * between chunks (where the sheet reader hands out finished rows). Counts the inflated bytes
 * against the budget and refuses an over-long text run before the parser buffers it.
 */
async function* parseEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  budget: { bytes: number },
  limits: XlsxLimits,
  setup: (on: On) => void,
  afterChunk?: () => SourceRow[],
): AsyncGenerator<SourceRow> {
  const stream = await entryStream(zip, entry);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      budget.bytes -= chunk.length;
      if (budget.bytes < 0) {
        callback(invalidFile('xlsx_too_big', { mb: Math.round(limits.maxUnpackedBytes / MB) }));
      } else callback(null, chunk);
    },
  });
  stream.on('error', (error) => counter.destroy(error));
  stream.pipe(counter);
  const parser = new SaxesParser();
  const textRun = { chars: 0 };
  const handlers: Handlers = {};
  setup((event, handler) => {
    handlers[event] = handler as never;
  });
  // saxes keeps one handler per event, so ours and the caller's are joined here.
  parser.on('opentag', (node) => {
    textRun.chars = 0;
    handlers.opentag?.(node);
  });
  parser.on('closetag', (node) => {
    textRun.chars = 0;
    handlers.closetag?.(node);
  });
  parser.on('text', (text) => handlers.text?.(text));
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of counter) {
      const text = decoder.decode(chunk as Buffer, { stream: true });
      textRun.chars += text.length;
      if (textRun.chars > limits.maxTextChars) {
        throw invalidFile('xlsx_cell_too_long', { max: limits.maxTextChars });
      }
      parser.write(text);
      if (afterChunk) yield* afterChunk();
    }
    parser.write(decoder.decode());
    parser.close();
    if (afterChunk) yield* afterChunk();
  } finally {
    stream.unpipe(counter);
    stream.destroy();
    counter.destroy();
  }
}

/** Drains a parse that yields no rows (workbook, relationships, styles, shared strings). */
async function parseAll(...args: Parameters<typeof parseEntry>): Promise<void> {
  for await (const row of parseEntry(...args)) void row;
}

const attr = (node: SaxesTagPlain, name: string): string | undefined => {
  const value = node.attributes[name];
  return typeof value === 'string' ? value : undefined;
};
const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

interface Workbook {
  sheetPath: string | null;
  date1904: boolean;
}

async function readWorkbook(
  zip: yauzl.ZipFile,
  entries: Map<string, yauzl.Entry>,
  budget: { bytes: number },
  limits: XlsxLimits,
): Promise<Workbook> {
  let firstSheetRel: string | null = null;
  let date1904 = false;
  const workbook = entries.get('xl/workbook.xml');
  if (workbook) {
    await parseAll(zip, workbook, budget, limits, (on) => {
      on('opentag', (node) => {
        const name = localName(node.name);
        if (name === 'workbookPr') {
          date1904 = ['1', 'true'].includes(attr(node, 'date1904') ?? '');
        } else if (name === 'sheet' && firstSheetRel === null) {
          const id = Object.entries(node.attributes).find(([k]) => localName(k) === 'id')?.[1];
          firstSheetRel = typeof id === 'string' ? id : null;
        }
      });
    });
  }
  let sheetPath: string | null = null;
  const rels = entries.get('xl/_rels/workbook.xml.rels');
  if (rels && firstSheetRel !== null) {
    await parseAll(zip, rels, budget, limits, (on) => {
      on('opentag', (node) => {
        if (localName(node.name) === 'Relationship' && attr(node, 'Id') === firstSheetRel) {
          const target = attr(node, 'Target') ?? '';
          sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
        }
      });
    });
  }
  if (sheetPath === null || !entries.has(sheetPath)) {
    sheetPath =
      [...entries.keys()]
        .filter((k) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k))
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))[0] ?? null;
  }
  return { sheetPath, date1904 };
}

/** Which cell styles show numbers as dates (style index → true). */
async function readDateStyles(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry | undefined,
  budget: { bytes: number },
  limits: XlsxLimits,
): Promise<boolean[]> {
  const dateStyles: boolean[] = [];
  if (!entry) return dateStyles;
  const customDates = new Map<number, boolean>();
  let inCellXfs = false;
  await parseAll(zip, entry, budget, limits, (on) => {
    on('opentag', (node) => {
      const name = localName(node.name);
      if (name === 'numFmt') {
        customDates.set(
          Number(attr(node, 'numFmtId')),
          isDateFormat(attr(node, 'formatCode') ?? ''),
        );
      } else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        if (dateStyles.length >= 100_000) throw invalidFile('unreadable_xlsx');
        const id = Number(attr(node, 'numFmtId') ?? '0');
        dateStyles.push(customDates.get(id) ?? DATE_FORMAT_IDS.has(id));
      }
    });
    on('closetag', (node) => {
      if (localName(node.name) === 'cellXfs') inCellXfs = false;
    });
  });
  return dateStyles;
}

/** The shared-string table, capped in count and characters; rich text runs joined. */
async function readSharedStrings(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry | undefined,
  budget: { bytes: number },
  limits: XlsxLimits,
): Promise<string[]> {
  const strings: string[] = [];
  if (!entry) return strings;
  let chars = 0;
  let current: string[] | null = null;
  let inText = false;
  let inPhonetic = false;
  await parseAll(zip, entry, budget, limits, (on) => {
    on('opentag', (node) => {
      const name = localName(node.name);
      if (name === 'si') current = [];
      else if (name === 'rPh') inPhonetic = true;
      else if (name === 't' && !inPhonetic) inText = true;
    });
    on('text', (text) => {
      if (!inText || !current) return;
      chars += text.length;
      if (chars > limits.maxSharedStringChars) {
        throw invalidFile('xlsx_too_many_strings', { max: limits.maxSharedStrings });
      }
      current.push(text);
    });
    on('closetag', (node) => {
      const name = localName(node.name);
      if (name === 't') inText = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si' && current) {
        if (strings.length >= limits.maxSharedStrings) {
          throw invalidFile('xlsx_too_many_strings', { max: limits.maxSharedStrings });
        }
        strings.push(current.join(''));
        current = null;
      }
    });
  });
  return strings;
}

interface CellState {
  column: number;
  type: string;
  style: number;
  value: string[];
  inline: string[];
  inValue: boolean;
  inInline: boolean;
  inPhonetic: boolean;
}

/**
 * Streams the rows of the first worksheet of an .xlsx as text, blank cells as '' and blank rows
 * skipped: shared strings, inline and rich text, numbers as Excel stores them (612345678), dates
 * as `2024-01-02`, booleans as `true`/`false`, formulas as their cached result, errors as ''.
 * Throws `import_invalid_file` for a broken file and for one past `limits` (see XlsxLimits).
 */
export async function* readXlsxRows(
  path: string,
  limits: XlsxLimits = XLSX_LIMITS,
): AsyncGenerator<SourceRow> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (error) {
    if (error instanceof Error && 'syscall' in error) throw error;
    throw invalidFile('unreadable_xlsx');
  }
  try {
    const entries = await listEntries(zip, limits.maxEntries);
    const budget = { bytes: limits.maxUnpackedBytes };
    // The sizes the zip declares come first: a bomb that admits its size is refused unread, one
    // that lies is stopped when the inflated bytes pass the declared size (yauzl checks) or ours.
    const declared = [
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/sharedStrings.xml',
    ].reduce((sum, name) => sum + (entries.get(name)?.uncompressedSize ?? 0), 0);
    if (declared > limits.maxUnpackedBytes) {
      throw invalidFile('xlsx_too_big', { mb: Math.round(limits.maxUnpackedBytes / MB) });
    }
    const workbook = await readWorkbook(zip, entries, budget, limits);
    const sheet = workbook.sheetPath ? entries.get(workbook.sheetPath) : undefined;
    if (!sheet) throw invalidFile('unreadable_xlsx');
    if (declared + sheet.uncompressedSize > limits.maxUnpackedBytes) {
      throw invalidFile('xlsx_too_big', { mb: Math.round(limits.maxUnpackedBytes / MB) });
    }
    const dateStyles = await readDateStyles(zip, entries.get('xl/styles.xml'), budget, limits);
    const shared = await readSharedStrings(
      zip,
      entries.get('xl/sharedStrings.xml'),
      budget,
      limits,
    );

    const ready: SourceRow[] = [];
    let line = 0;
    let values: string[] = [];
    let cell: CellState | null = null;

    const cellValue = (c: CellState): string => {
      const v = c.value.join('');
      switch (c.type) {
        case 's': {
          const s = shared[Number(v)];
          return s ?? '';
        }
        case 'inlineStr':
          return c.inline.join('');
        case 'str':
          return v;
        case 'b':
          return v === '' ? '' : v === '1' || v === 'true' ? 'true' : 'false';
        case 'e':
          return '';
        case 'd':
          return dateText(new Date(v));
        default: {
          if (dateStyles[c.style]) {
            const n = Number(v);
            return v.trim() !== '' && Number.isFinite(n)
              ? dateText(excelDate(n, workbook.date1904))
              : '';
          }
          return numberText(v);
        }
      }
    };

    yield* parseEntry(
      zip,
      sheet,
      budget,
      limits,
      (on) => {
        on('opentag', (node) => {
          switch (localName(node.name)) {
            case 'row': {
              const r = Number(attr(node, 'r'));
              line = Number.isInteger(r) && r > line ? r : line + 1;
              values = [];
              break;
            }
            case 'c': {
              const ref = /^([A-Za-z]{1,3})\d*$/.exec(attr(node, 'r') ?? '');
              const column = ref?.[1] ? columnNumber(ref[1]) : values.length + 1;
              cell = {
                column,
                type: attr(node, 't') ?? 'n',
                style: Number(attr(node, 's') ?? '0') || 0,
                value: [],
                inline: [],
                inValue: false,
                inInline: false,
                inPhonetic: false,
              };
              break;
            }
            case 'v':
              if (cell) cell.inValue = true;
              break;
            case 'is':
              if (cell) cell.inInline = true;
              break;
            case 'rPh':
              if (cell) cell.inPhonetic = true;
              break;
            default:
              break;
          }
        });
        on('text', (text) => {
          if (!cell) return;
          if (cell.inValue) cell.value.push(text);
          else if (cell.inInline && !cell.inPhonetic) cell.inline.push(text);
        });
        on('closetag', (node) => {
          switch (localName(node.name)) {
            case 'v':
              if (cell) cell.inValue = false;
              break;
            case 'is':
              if (cell) cell.inInline = false;
              break;
            case 'rPh':
              if (cell) cell.inPhonetic = false;
              break;
            case 'c': {
              const c: CellState | null = cell;
              cell = null;
              if (!c) break;
              const text = cellValue(c);
              if (text === '') break;
              // A value far to the right (column XFD on every row) would make every row 16,384
              // cells wide; a formatted but empty cell there is common and ignored above.
              if (c.column > limits.maxColumns) {
                throw invalidFile('too_many_columns_in_row', {
                  max: limits.maxColumns,
                  line,
                  column: columnLetters(c.column),
                });
              }
              while (values.length < c.column - 1) values.push('');
              values[c.column - 1] = text;
              break;
            }
            case 'row':
              ready.push({ line, values });
              values = [];
              break;
            default:
              break;
          }
        });
      },
      () => ready.splice(0),
    );
  } catch (error) {
    // A system error (ENOENT, EACCES, …) is not the file's fault; everything else is a broken file.
    if (error instanceof AppError || (error instanceof Error && 'syscall' in error)) throw error;
    throw invalidFile('unreadable_xlsx');
  } finally {
    zip.close();
  }
}
