import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/**
 * Builds .xlsx files byte by byte for tests, including hostile ones: a zip whose entries are given
 * as XML text or as a generator of chunks (so a 1 GB shared-string table is deflated in a stream and
 * never held in memory), and whose central directory may lie about an entry's unpacked size.
 */
export interface ZipPart {
  name: string;
  /** The entry's content, or chunks of it (a generator is deflated as it goes). */
  content: string | (() => Iterable<Buffer>);
  /** The unpacked size written in the zip's headers; default the true size. */
  declaredSize?: number;
}

async function deflate(
  content: ZipPart['content'],
): Promise<{ data: Buffer; size: number; crc: number }> {
  if (typeof content === 'string') {
    const raw = Buffer.from(content, 'utf8');
    return { data: zlib.deflateRawSync(raw, { level: 9 }), size: raw.length, crc: zlib.crc32(raw) };
  }
  let size = 0;
  let crc = 0;
  const source = Readable.from(
    (function* () {
      for (const chunk of content()) {
        size += chunk.length;
        crc = zlib.crc32(chunk, crc);
        yield chunk;
      }
    })(),
  );
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.push(chunk);
      callback();
    },
  });
  await pipeline(source, zlib.createDeflateRaw({ level: 9 }), sink);
  return { data: Buffer.concat(out), size, crc };
}

/** A zip (deflate, no data descriptors, no zip64) of the given parts. */
export async function buildZip(parts: ZipPart[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const { data, size, crc } = await deflate(part.content);
    const declared = part.declaredSize ?? size;
    if (declared > 0xffffffff || data.length > 0xffffffff) throw new Error('zip64 not supported');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const WORKBOOK = `<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const RELS = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;

export const sheetXml = (rows: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;

/** An inline-string cell. */
export const cell = (ref: string, text: string): string =>
  `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/** A minimal workbook: one sheet, optional shared strings (text or generated chunks). */
export function buildXlsx(options: {
  sheet: ZipPart['content'];
  sharedStrings?: ZipPart['content'];
  sharedStringsDeclaredSize?: number;
}): Promise<Buffer> {
  return buildZip([
    { name: 'xl/workbook.xml', content: WORKBOOK },
    { name: 'xl/_rels/workbook.xml.rels', content: RELS },
    ...(options.sharedStrings === undefined
      ? []
      : [
          {
            name: 'xl/sharedStrings.xml',
            content: options.sharedStrings,
            ...(options.sharedStringsDeclaredSize === undefined
              ? {}
              : { declaredSize: options.sharedStringsDeclaredSize }),
          },
        ]),
    { name: 'xl/worksheets/sheet1.xml', content: options.sheet },
  ]);
}

/**
 * The probe's bomb: a shared-string table of `megabytes` MB of one repeated string, deflated as it
 * is generated (1 GB deflates to about 1 MB), and a sheet that uses it.
 */
export function sharedStringBomb(megabytes: number, declaredSize?: number): Promise<Buffer> {
  const chunk = Buffer.from('<si><t>' + 'A'.repeat(1024 * 1024 - 16) + '</t></si>');
  return buildXlsx({
    sharedStrings: function* () {
      yield Buffer.from('<?xml version="1.0" encoding="UTF-8"?><sst>');
      for (let i = 0; i < megabytes; i++) yield chunk;
      yield Buffer.from('</sst>');
    },
    ...(declaredSize === undefined ? {} : { sharedStringsDeclaredSize: declaredSize }),
    sheet: sheetXml(`<row r="1">${cell('A1', 'Naam')}<c r="B1" t="s"><v>0</v></c></row>`),
  });
}
