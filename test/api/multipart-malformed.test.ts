import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

/**
 * Finding 9 of the probe (issue 7): a malformed multipart upload (no boundary, a body cut off, a
 * boundary over 256 characters) was a 500. Each is the client's mistake: a 400 that says so, and
 * nothing stays on disk. The upload route does no SQL before it reads the body: SQLite only.
 */
describe('a malformed multipart upload', () => {
  let t: TestApp;
  let owner: Client;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-multipart-'));
    t = await startTestApp('sqlite', { DATA_DIR: dataDir });
    owner = await buildOrganisation(t);
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const part = (boundary: string, body = 'Naam;E-mail\nJan;jan@example.nl\n') =>
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="klanten.csv"\r\n` +
    `Content-Type: text/csv\r\n\r\n${body}\r\n--${boundary}--\r\n`;

  async function post(contentType: string, payload: string) {
    const files = () =>
      fs.existsSync(path.join(dataDir, 'imports'))
        ? fs.readdirSync(path.join(dataDir, 'imports'))
        : [];
    const before = files();
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { 'content-type': contentType, 'accept-language': 'en' },
      payload,
    });
    // Files this request left behind (another test's accepted upload is not this one's leftover).
    const leftovers = files().filter((f) => !before.includes(f));
    return {
      status: res.statusCode,
      body: res.json<{ error: { code: string; message: string } }>(),
      leftovers,
    };
  }

  it('answers 400 for a multipart body without a boundary', async () => {
    const res = await post('multipart/form-data', part('x'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_multipart');
    expect(res.body.error.message).toMatch(/upload/i);
  });

  it('answers 400 for a body cut off in the middle of the file', async () => {
    const full = part('grens');
    const res = await post('multipart/form-data; boundary=grens', full.slice(0, full.length - 40));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_multipart');
    expect(res.leftovers).toEqual([]);
  });

  it('answers 400 for a boundary longer than 256 characters', async () => {
    const boundary = 'b'.repeat(300);
    const res = await post(`multipart/form-data; boundary=${boundary}`, part(boundary));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_multipart');
  });

  it('still takes a well-formed upload', async () => {
    const res = await post('multipart/form-data; boundary=grens', part('grens'));
    expect(res.status).toBe(201);
  });
});
