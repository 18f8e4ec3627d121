import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { mayConnect } from '../../domain/webhooks/target-address.ts';
import { secretKey, signedContent } from '../../domain/webhooks/standard-webhooks.ts';

/** Base64 HMAC-SHA256 of the signed content under a `whsec_` secret. */
export function sign(
  secret: string,
  messageId: string,
  timestampSeconds: number,
  body: string,
): string {
  const key = secretKey(secret);
  if (!key) throw new Error('not a whsec_ secret');
  return createHmac('sha256', key)
    .update(signedContent(messageId, timestampSeconds, body))
    .digest('base64');
}

export type SendResult = {
  status: number | null;
  durationMs: number;
  error: string | null;
};

export const WEBHOOK_TIMEOUT_MS = 15_000;

/**
 * POSTs a body to a webhook URL: the host is resolved first and every address checked against the
 * SSRF rules, then the connection goes to that checked address (a second DNS answer cannot swap
 * in 127.0.0.1). 15 s until the answer's status line; redirects are never followed (a 3xx is an
 * answer, judged as a failure); the answer's body is not read.
 */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { allowPrivate: boolean; timeoutMs?: number },
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { status: null, durationMs: 0, error: 'invalid URL' };
  }
  const host = target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname;
  let address: string;
  let family: number;
  try {
    if (isIP(host)) {
      address = host;
      family = isIP(host);
    } else {
      const all = await lookup(host, { all: true });
      const refused = all.find((a) => !mayConnect(a.address, options.allowPrivate));
      if (refused || all.length === 0) {
        return {
          status: null,
          durationMs: elapsed(),
          error: `refused address ${refused?.address ?? '(none)'}`,
        };
      }
      address = all[0]?.address ?? '';
      family = all[0]?.family ?? 4;
    }
  } catch (err) {
    return {
      status: null,
      durationMs: elapsed(),
      error: `DNS: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  if (!mayConnect(address, options.allowPrivate)) {
    return { status: null, durationMs: elapsed(), error: `refused address ${address}` };
  }
  const client = target.protocol === 'https:' ? https : http;
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return new Promise<SendResult>((resolve) => {
    let done = false;
    const finish = (r: SendResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = client.request(
      {
        protocol: target.protocol,
        hostname: address,
        family,
        port: target.port || (target.protocol === 'https:' ? 443 : 80),
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        servername: isIP(host) ? undefined : host,
        headers: {
          ...headers,
          host: target.host,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Loyaal-Webhooks/1',
        },
        agent: false,
      },
      (res) => {
        // The status line is the answer: a receiver that sends 200 and then keeps its body open
        // (still working, or streaming) has answered, and must not be sent the event again.
        finish({ status: res.statusCode ?? null, durationMs: elapsed(), error: null });
        res.destroy();
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    req.on('error', (err) => finish({ status: null, durationMs: elapsed(), error: err.message }));
    req.end(body);
  });
}
