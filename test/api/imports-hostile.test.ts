import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';
import { buildXlsx, cell, sharedStringBomb, sheetXml } from '../support/xlsx-files.ts';

const BOUNDARY = 'loyaal-hostile-upload';

/**
 * Findings 2 and 3 of the probe (issue 7): a 2 MB .xlsx whose shared strings unpack to a gigabyte
 * drove the server out of memory, and a small one with a value in column XFD on every row stalled
 * it. Both are built here, byte by byte, and uploaded like any file: each is refused with a clear
 * reason in the user's language, and nothing of it stays on disk. The import pipeline is the same
 * on both databases, so this runs on SQLite.
 */
describe('an upload built to exhaust the server', () => {
  let t: TestApp;
  let dataDir: string;
  let owner: Client;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-hostile-'));
    t = await startTestApp('sqlite', { DATA_DIR: dataDir });
    owner = await buildOrganisation(t, 'Bom BV');
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const upload = (content: Buffer, locale = 'nl') =>
    owner.request({
      method: 'POST',
      url: '/api/v1/imports',
      headers: {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'accept-language': locale,
      },
      payload: Buffer.concat([
        Buffer.from(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="klanten.xlsx"\r\n` +
            `Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
        ),
        content,
        Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
      ]),
    });

  const leftovers = () => {
    const dir = path.join(dataDir, 'imports');
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };

  it('refuses shared strings that unpack to a gigabyte, and deletes the upload', async () => {
    const before = leftovers();
    const bomb = await sharedStringBomb(1024);
    expect(bomb.length).toBeLessThan(3 * 1024 * 1024);
    const res = await upload(bomb);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'import_invalid_file',
        message: expect.any(String) as unknown,
        fields: [
          {
            field: 'file',
            problem: 'xlsx_too_big',
            message:
              'Bestand wordt bij het uitpakken groter dan 256 MB en is te groot om in te lezen. Bewaar het als CSV of verdeel het over meer bestanden',
          },
        ],
      },
    });
    expect(leftovers()).toEqual(before);
  }, 60_000);

  it('refuses a value in column XFD on every row under a normal header, naming where', async () => {
    const before = leftovers();
    const header = `<row r="1">${cell('A1', 'Naam')}${cell('B1', 'E-mail')}</row>`;
    const rows = Array.from(
      { length: 2000 },
      (_, i) =>
        `<row r="${i + 2}">${cell(`A${i + 2}`, `Klant ${i}`)}${cell(`XFD${i + 2}`, 'x')}</row>`,
    ).join('');
    const res = await upload(await buildXlsx({ sheet: sheetXml(header + rows) }));
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { fields: unknown[] } }>().error.fields).toEqual([
      {
        field: 'file',
        problem: 'too_many_columns_in_row',
        message:
          'Bestand heeft op regel 2 een waarde in kolom XFD; we lezen hoogstens 200 kolommen',
      },
    ]);
    expect(leftovers()).toEqual(before);
  });

  it('still takes a normal workbook with formatted empty cells far to the right', async () => {
    const rows = Array.from(
      { length: 500 },
      (_, i) =>
        `<row r="${i + 1}">${cell(`A${i + 1}`, i === 0 ? 'Naam' : `Klant ${i}`)}${cell(`B${i + 1}`, i === 0 ? 'E-mail' : `k${i}@example.nl`)}<c r="XFD${i + 1}" s="0"/></row>`,
    ).join('');
    const res = await upload(await buildXlsx({ sheet: sheetXml(rows) }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      format: 'xlsx',
      detected: { headers: ['Naam', 'E-mail'] },
      progress: { total: 499 },
    });
  });
});
