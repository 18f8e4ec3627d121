import iconv from 'iconv-lite';
import { expect } from 'vitest';
import type { Client } from './harness.ts';

const BOUNDARY = 'loyaal-test-upload';

/**
 * A request body uploading one file as the form field `file`, as the admin app's import screen
 * sends it: spread into `inject` or `Client.request` (`{ method, url, ...fileUpload(…) }`).
 */
export function fileUpload(
  filename: string,
  content: string | Buffer,
  contentType = 'text/csv',
): { headers: Record<string, string>; payload: Buffer } {
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
          `Content-Type: ${contentType}\r\n\r\n`,
      ),
      typeof content === 'string' ? Buffer.from(content) : content,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]),
  };
}

/**
 * A customer file imported as a person does it through the API: a CSV in Windows-1252 (as Excel
 * saves it) uploaded, validated with the suggested mapping, committed (`valid_only`) and completed;
 * `drain` runs the worker between the steps.
 */
export async function importCustomerFile(
  org: Client,
  lines: string[],
  drain: () => Promise<unknown>,
): Promise<void> {
  const bytes = iconv.encode(lines.join('\r\n'), 'win1252');
  const up = await org.request({
    method: 'POST',
    url: '/api/v1/imports',
    ...fileUpload('klanten.csv', bytes, 'application/octet-stream'),
  });
  expect(up.statusCode, up.body).toBe(201);
  const imp = up.json<{ id: string; detected: { suggestedMapping: Record<string, string> } }>();
  const v = await org.request({
    method: 'POST',
    url: `/api/v1/imports/${imp.id}/validate`,
    payload: { mapping: imp.detected.suggestedMapping },
  });
  expect(v.statusCode, v.body).toBe(200);
  await drain();
  const c = await org.request({
    method: 'POST',
    url: `/api/v1/imports/${imp.id}/commit`,
    payload: { mode: 'valid_only' },
  });
  expect(c.statusCode, c.body).toBe(200);
  await drain();
  const done = await org.request({ url: `/api/v1/imports/${imp.id}` });
  expect(done.json<{ status: string }>().status).toBe('completed');
}
