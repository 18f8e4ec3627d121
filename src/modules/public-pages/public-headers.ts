import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** A fresh CSP nonce per response: only our own inline `<style>` and `<script>` may run. */
export const newNonce = (): string => randomBytes(16).toString('base64');

/**
 * Security headers of every public page. Nothing may load from another origin except an https logo;
 * the page may only post to ourselves and never be framed; the personal link must not leak through
 * the Referer header; and a personal page is never cached by a browser or proxy.
 */
export function setPublicPageHeaders(reply: FastifyReply, nonce: string): FastifyReply {
  return reply.headers({
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': [
      "default-src 'none'",
      `style-src 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      "connect-src 'self'",
      "img-src 'self' data: https:",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store, private',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  });
}
