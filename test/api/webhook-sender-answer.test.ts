import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { postWebhook } from '../../src/modules/webhooks/webhook-sender.ts';

/**
 * A receiver's answer is its status line: one that sends 200 at once and then keeps its body open
 * (still working, or streaming) has answered, and is neither logged as "no answer" nor sent the
 * event again.
 */
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

it('a 200 whose body never ends is a 200', async () => {
  const url = await listen((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('ok'); // … and the body never ends
    });
  });
  const result = await postWebhook(url, {}, '{}', { allowPrivate: true, timeoutMs: 3_000 });
  expect(result).toMatchObject({ status: 200, error: null });
});

it('a receiver that never answers is no answer', async () => {
  const url = await listen(() => {
    /* accepts, never answers */
  });
  const result = await postWebhook(url, {}, '{}', { allowPrivate: true, timeoutMs: 500 });
  expect(result).toMatchObject({ status: null, error: 'no answer within 0.5 s' });
});

it('a 503 with a large body is a 503', async () => {
  const url = await listen((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(503);
      res.end('x'.repeat(1_000_000));
    });
  });
  const result = await postWebhook(url, {}, '{}', { allowPrivate: true, timeoutMs: 3_000 });
  expect(result).toMatchObject({ status: 503, error: null });
});
