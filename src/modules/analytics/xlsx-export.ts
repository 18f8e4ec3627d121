import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type ExcelJS from 'exceljs';

/** Excel's limit: 1,048,576 rows per sheet, the header included. */
export const EXCEL_MAX_ROWS = 1_048_576;

/**
 * Writes rows to an .xlsx workbook as a stream (exceljs's streaming writer: each row is committed
 * to the zip as it comes, no shared-strings table kept in memory), so an export of a million
 * answers uses as little memory as one of ten. Past Excel's row limit the rows continue on a next
 * sheet ("Antwoorden 2", …) with the header repeated. Text stays text: a comment starting with "="
 * is a string cell, never a formula. Pauses while the reader (the HTTP response) is behind.
 *
 * exceljs is loaded on the first export, not at start: it is the largest module a server would
 * otherwise load (about 10 MB of resting memory and up to a second of start-up), for a screen few
 * people open.
 */
export function streamXlsx(
  sheetName: string,
  header: readonly string[],
  rows: AsyncIterable<ReadonlyArray<ReadonlyArray<string | number | null>>>,
  options: {
    rowsPerSheet?: number;
    /** Excel number formats per column (e.g. '0.0'): how a number shows, its value kept whole. */
    numberFormats?: ReadonlyArray<string | undefined>;
  } = {},
): Readable {
  const perSheet = (options.rowsPerSheet ?? EXCEL_MAX_ROWS) - 1;
  const formats = options.numberFormats ?? [];
  const out = new PassThrough();
  const addRow = (sheet: ExcelJS.Worksheet, cells: ReadonlyArray<string | number | null>) => {
    const row = sheet.addRow([...cells]);
    formats.forEach((format, i) => {
      if (format && typeof cells[i] === 'number') row.getCell(i + 1).numFmt = format;
    });
    row.commit();
  };
  const title = (n: number) => (n === 1 ? sheetName : `${sheetName} ${n}`).slice(0, 31);
  void (async () => {
    const { default: excel } = await import('exceljs');
    const book = new excel.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: formats.length > 0,
      useSharedStrings: false,
    });
    let sheetNo = 1;
    let sheet = book.addWorksheet(title(sheetNo));
    sheet.addRow([...header]).commit();
    let inSheet = 0;
    for await (const page of rows) {
      for (const cells of page) {
        if (inSheet === perSheet) {
          sheet.commit();
          sheet = book.addWorksheet(title(++sheetNo));
          sheet.addRow([...header]).commit();
          inSheet = 0;
        }
        addRow(sheet, cells);
        inSheet++;
      }
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    sheet.commit();
    await book.commit();
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}
