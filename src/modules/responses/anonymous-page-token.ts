import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The page-load token of the anonymous survey form (`/s/:token`): every GET of the form carries a
 * fresh one in a hidden field, so the POST rate limit can count per page load instead of per
 * address (many phones behind one mobile-network address scan the same QR code). It is an
 * unguessable id signed for the link with the moment it was served: HMAC-SHA-256 under a key
 * derived from SECRET_KEY with HKDF, for this use only.
 *
 * Without SECRET_KEY each process signs with its own random key: a form served by another process
 * (or before a restart) posts as if it had no token, under the tighter per-address limit, and is
 * still stored.
 */
let processKey: Buffer | null = null;
const derived = new WeakMap<Buffer, Buffer>();

export function anonymousPageKey(secretKey: Buffer | null): Buffer {
  if (!secretKey) {
    processKey ??= randomBytes(32);
    return processKey;
  }
  let key = derived.get(secretKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secretKey, 'loyaal', 'anonymous-page token v1', 32));
    derived.set(secretKey, key);
  }
  return key;
}

/** How long a served form's token counts as a page load (a form left open all day still does). */
export const PAGE_TOKEN_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** A token may carry a time this far ahead of this server's clock (several servers' clocks). */
const PAGE_TOKEN_SKEW_MS = 5 * 60 * 1000;

/** `p1.<served at, base36 ms>.<page-load id, 16 random bytes>.<signature, 32 bytes>`. */
const TOKEN = /^p1\.([0-9a-z]{1,11})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

const payload = (linkToken: string, issuedAt: number, id: string): string =>
  `p1|anonymous-page|${linkToken}|${issuedAt}|${id}`;

const sign = (key: Buffer, text: string): string =>
  createHmac('sha256', key).update(text, 'utf8').digest('base64url');

/** A fresh page-load token for the anonymous link `linkToken`, served at `now`. */
export function issueAnonymousPageToken(key: Buffer, linkToken: string, now: number): string {
  const id = randomBytes(16).toString('base64url');
  return `p1.${now.toString(36)}.${id}.${sign(key, payload(linkToken, now, id))}`;
}

/**
 * The page-load id of a submitted token when it was signed for this link and is neither from the
 * future nor older than a day; null for anything else (missing, malformed, forged, stale).
 */
export function anonymousPageLoadOf(
  key: Buffer,
  value: unknown,
  linkToken: string,
  now: number,
): string | null {
  if (typeof value !== 'string') return null;
  const m = TOKEN.exec(value);
  if (!m) return null;
  const issuedAt = parseInt(m[1] ?? '', 36);
  const id = m[2] ?? '';
  if (!Number.isSafeInteger(issuedAt)) return null;
  if (issuedAt > now + PAGE_TOKEN_SKEW_MS || now - issuedAt > PAGE_TOKEN_MAX_AGE_MS) return null;
  // Compared as text, so a second spelling of the same bytes is not a second valid token.
  const given = Buffer.from(m[3] ?? '', 'utf8');
  const expected = Buffer.from(sign(key, payload(linkToken, issuedAt, id)), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}
