import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorker } from '../../src/platform/jobs/worker.ts';

import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const BOUNDARY = 'loyaal-property';

function multipart(filename: string, content: Uint8Array) {
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]),
  };
}

/** Cells that have broken imports elsewhere: quotes, delimiters, line breaks, NUL, emoji, BOMs. */
const cell = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    'ja',
    'nl',
    'Engels',
    'Frans',
    'jan@example.nl',
    'JAN@EXAMPLE.NL',
    'piet@@x',
    '06-12345678',
    '"',
    '""',
    ';',
    ',',
    '\n',
    '\r\n',
    '\u0000',
    '\uFEFF',
    '😀',
    'x'.repeat(1200),
    '__proto__',
  ),
);
const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;

describeEachDialect('contact import under random input', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-import-prop-'));
    t = await startTestApp(dialect, { DATA_DIR: dataDir });
    owner = await buildOrganisation(t);
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers random bytes with 201 or a typed 400, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }),
          fc
            .string({
              unit: fc.constantFrom('a', ';', ',', '"', '\n', '\r', 'é', '@', '\t'),
              maxLength: 300,
            })
            .map((s) => Buffer.from(s)),
          fc
            .uint8Array({ maxLength: 300 })
            .map((b) => Buffer.concat([Buffer.from('PK\x03\x04'), b])),
        ),
        fc.string({ maxLength: 40 }),
        async (bytes, filename) => {
          const res = await owner.request({
            method: 'POST',
            url: '/api/v1/imports',
            ...multipart(filename.replace(/["\r\n]/g, '') || 'x.csv', bytes),
          });
          // Random bytes may be a valid file or not; either way the answer is one of these two.
          if (res.statusCode === 201) return true;
          expect(res.statusCode, res.body).toBe(400);
          expect(['import_invalid_file', 'validation_failed']).toContain(
            res.json<{ error: { code: string } }>().error.code,
          );
          return true;
        },
      ),
      { numRuns: 40 },
    );
  });

  it('validates and commits random rows, processing exactly the rows of the generated file that are not blank', async () => {
    const headers = [
      'Klantnummer',
      'Naam',
      'E-mailadres',
      'Telefoon',
      'Taal',
      'Toestemming',
      'Notitie',
    ];
    // What the reader keeps of a cell (read-rows.ts): trimmed, NUL removed. A row whose cells are
    // all empty after that is blank: skipped, not counted.
    const kept = (v: string) => v.trim().replaceAll('\0', '');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 0, maxLength: 8 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(';', ','),
        async (rows, delimiter) => {
          const expected = rows.filter((r) => r.some((v) => kept(v) !== '')).length;
          const csv = [headers, ...rows].map((r) => r.map(quote).join(delimiter)).join('\r\n');
          const upload = await owner.request({
            method: 'POST',
            url: '/api/v1/imports',
            ...multipart('random.csv', Buffer.from(csv)),
          });
          expect(upload.statusCode, upload.body).toBe(201);
          const imp = upload.json<{
            id: string;
            detected: { suggestedMapping: Record<string, string> };
          }>();
          const validate = await owner.request({
            method: 'POST',
            url: `/api/v1/imports/${imp.id}/validate`,
            payload: { mapping: imp.detected.suggestedMapping },
          });
          expect(validate.statusCode, validate.body).toBe(200);
          await startWorker(t.deps, { concurrency: 1 }, false).drain();
          const commit = await owner.request({
            method: 'POST',
            url: `/api/v1/imports/${imp.id}/commit`,
            payload: { mode: 'valid_only' },
          });
          expect(commit.statusCode, commit.body).toBe(200);
          await startWorker(t.deps, { concurrency: 1 }, false).drain();
          const done = (await owner.request({ url: `/api/v1/imports/${imp.id}` })).json<{
            status: string;
            progress: {
              total: number;
              processed: number;
              valid: number;
              rejected: number;
              created: number;
              updated: number;
            };
          }>();
          const errors = await owner.request({ url: `/api/v1/imports/${imp.id}/errors?limit=500` });
          expect(errors.statusCode).toBe(200);
          const p = done.progress;
          expect(done.status).toBe('completed');
          // Every non-blank generated row processed once: not one lost, none counted twice.
          expect(p.total).toBe(expected);
          expect(p.processed).toBe(expected);
          expect(p.valid + p.rejected).toBe(p.processed);
          expect(p.created + p.updated).toBe(p.valid);
          // Each rejected row is listed with at least one reason, and no other row is.
          const lines = new Set(
            errors.json<{ items: { line: number }[] }>().items.map((e) => e.line),
          );
          expect(lines.size).toBe(p.rejected);
          return true;
        },
      ),
      {
        numRuns: 15,
        // Always also: blank rows only (spaces, a BOM, NUL), and a last row without a line end.
        examples: [
          [[[' ', '\uFEFF'], [], ['\u0000']], ';'],
          [[['1', 'Jan', 'jan@example.nl'], [], ['2', 'Piet', 'piet@@x']], ','],
        ],
      },
    );
  });
});
