import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, it } from 'vitest';
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
          if (res.statusCode === 201) return true;
          return (
            res.statusCode === 400 &&
            ['import_invalid_file', 'validation_failed'].includes(
              res.json<{ error: { code: string } }>().error.code,
            )
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('validates and commits random rows without failing, counting every row once', async () => {
    const headers = [
      'Klantnummer',
      'Naam',
      'E-mailadres',
      'Telefoon',
      'Taal',
      'Toestemming',
      'Notitie',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 0, maxLength: 8 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(';', ','),
        async (rows, delimiter) => {
          const csv = [headers, ...rows].map((r) => r.map(quote).join(delimiter)).join('\r\n');
          const upload = await owner.request({
            method: 'POST',
            url: '/api/v1/imports',
            ...multipart('random.csv', Buffer.from(csv)),
          });
          if (upload.statusCode === 400) return true; // e.g. every row blank
          if (upload.statusCode !== 201) return false;
          const imp = upload.json<{
            id: string;
            detected: { suggestedMapping: Record<string, string> };
          }>();
          const validate = await owner.request({
            method: 'POST',
            url: `/api/v1/imports/${imp.id}/validate`,
            payload: { mapping: imp.detected.suggestedMapping },
          });
          if (validate.statusCode !== 200) return false;
          await startWorker(t.deps, { concurrency: 1 }, false).drain();
          const commit = await owner.request({
            method: 'POST',
            url: `/api/v1/imports/${imp.id}/commit`,
            payload: { mode: 'valid_only' },
          });
          if (commit.statusCode !== 200) return false;
          await startWorker(t.deps, { concurrency: 1 }, false).drain();
          const done = (await owner.request({ url: `/api/v1/imports/${imp.id}` })).json<{
            status: string;
            progress: {
              processed: number;
              valid: number;
              rejected: number;
              created: number;
              updated: number;
            };
          }>();
          const errors = await owner.request({ url: `/api/v1/imports/${imp.id}/errors?limit=500` });
          const p = done.progress;
          return (
            done.status === 'completed' &&
            errors.statusCode === 200 &&
            p.valid + p.rejected === p.processed &&
            p.created + p.updated === p.valid
          );
        },
      ),
      { numRuns: 15 },
    );
  });
});
