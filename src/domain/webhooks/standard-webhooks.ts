/**
 * The Standard Webhooks scheme (https://www.standardwebhooks.com/), the parts that need no
 * cryptography: the secret's format, the content that is signed, the headers, the retry schedule
 * and what an answer means. The HMAC itself (SHA-256 over `signedContent`) is computed by the
 * webhooks module with node:crypto.
 */

const SECRET_PREFIX = 'whsec_';

/** `whsec_` + base64 of 32 random bytes, as the spec and its libraries expect. */
export function formatSecret(randomBytes: Uint8Array): string {
  if (randomBytes.length < 24 || randomBytes.length > 64) {
    throw new RangeError('formatSecret: use 24 to 64 random bytes (32 recommended)');
  }
  let binary = '';
  for (const b of randomBytes) binary += String.fromCharCode(b);
  return `${SECRET_PREFIX}${btoa(binary)}`;
}

/** The key bytes of a `whsec_…` secret; null when it is not one. */
export function secretKey(secret: string): Uint8Array | null {
  if (!secret.startsWith(SECRET_PREFIX)) return null;
  try {
    const binary = atob(secret.slice(SECRET_PREFIX.length));
    if (binary.length < 24) return null;
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** What is signed: `${msgId}.${timestamp}.${body}`, timestamp in whole seconds. */
export function signedContent(messageId: string, timestampSeconds: number, body: string): string {
  return `${messageId}.${timestampSeconds}.${body}`;
}

/**
 * The three headers of a delivery. `signatures` are base64 HMAC-SHA256 values, one per valid
 * secret (two during a rotation's grace period), joined by spaces as `v1,<sig> v1,<sig>`.
 */
export function webhookHeaders(
  messageId: string,
  timestampSeconds: number,
  signatures: readonly string[],
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  if (signatures.length === 0) throw new RangeError('webhookHeaders: need at least one signature');
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signatures.map((s) => `v1,${s}`).join(' '),
  };
}

/** The body of a delivery: `{ type, timestamp, data }` as the spec's examples. */
export function webhookBody(type: string, occurredAt: number, data: unknown): string {
  return JSON.stringify({ type, timestamp: new Date(occurredAt).toISOString(), data });
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const LAST_DELAY_MS = 20 * HOUR;

/**
 * Delay before each retry, after attempt 1, 2, …: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h,
 * 20 h — ten attempts over about three days (71.6 hours), so a receiver that is down for a long
 * weekend still gets every event. Steep at first (a blip), then spaced (an outage).
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  LAST_DELAY_MS,
];

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Delay after the given (1-based) failed attempt; past the schedule, the last delay again. */
export function retryDelay(attempt: number): number {
  return RETRY_DELAYS_MS[Math.max(0, attempt - 1)] ?? LAST_DELAY_MS;
}

/**
 * What an answer means: 2xx delivered; 410 Gone disables the endpoint (the receiver said it will
 * never want these again); anything else — 3xx too, since redirects are never followed, a timeout
 * or a refused connection — is retried.
 */
export function judgeAnswer(status: number | null): 'delivered' | 'gone' | 'retry' {
  const code = status ?? 0; // null: no answer at all
  if (code >= 200 && code < 300) return 'delivered';
  if (code === 410) return 'gone';
  return 'retry';
}
