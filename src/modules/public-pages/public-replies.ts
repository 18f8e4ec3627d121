import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Locale } from '../../db/schema.ts';
import type { Formality } from '../../i18n/messages.ts';
import { isLocale, localeFromHeader } from '../../i18n/locale.ts';
import { AppError } from '../../shared/errors.ts';
import { messagePageStatus, renderMessagePage, type MessagePageKind } from './message-page.view.ts';
import { newNonce, setPublicPageHeaders } from './public-headers.ts';

/**
 * The longest free text a public form takes (a respondent's comment, a friend's note). A 5,000
 * character text is at most ~45 KB URL-encoded, within `PUBLIC_BODY_LIMIT`.
 */
export const PUBLIC_TEXT_MAX = 5000;
/** Larger bodies are refused before they are parsed. */
export const PUBLIC_BODY_LIMIT = 64 * 1024;

/** Personal-link POSTs per IP and minute: generous (a shop's wifi or an office NAT shares an IP). */
export const PUBLIC_POST_LIMIT = { rateLimit: { max: 600, timeWindow: 60_000 } };
/**
 * POSTs per IP and minute on doors without a personal credential (a referral page; the anonymous
 * survey link when a POST brings no valid page-load token, see `pageLoadPostLimit`): much lower,
 * because every such POST can store something new.
 */
export const ANONYMOUS_POST_LIMIT = { rateLimit: { max: 30, timeWindow: 60_000 } };

/**
 * The anonymous survey link's limits, for a QR code at a counter or an event that many phones
 * behind one mobile-network (CGNAT) address scan at once. Each served form carries a signed
 * page-load token; a POST that brings a valid one counts per address and page load
 * (`PAGE_LOAD_POST_MAX` a minute), one without falls under the per-address `ANONYMOUS_POST_LIMIT`
 * (API clients, bots, a form served by a process that signs with another key). Every POST also
 * counts toward a much higher per-address ceiling (`ANONYMOUS_ADDRESS_CEILING` a minute), in the
 * shared rate-limit counter, so fetching fresh forms cannot lift the limit without end.
 */
export const PAGE_LOAD_POST_MAX = 10;
export const ANONYMOUS_ADDRESS_CEILING = 600;

/**
 * Route options for a POST limited per page load (see above). `pageLoadOf` reads the page-load id
 * of the request's valid page token (after body parsing), or null.
 */
export function pageLoadPostLimit(
  app: FastifyInstance,
  pageLoadOf: (request: FastifyRequest) => string | null,
) {
  const perAddress = ANONYMOUS_POST_LIMIT.rateLimit.max;
  return {
    onRequest: [
      async (request: FastifyRequest) => {
        const { count } = await app.rateCounter.hit(
          `anonymous-address|${request.ip}`,
          60_000,
          Date.now(),
        );
        if (count > ANONYMOUS_ADDRESS_CEILING) throw new AppError('rate_limited');
      },
    ],
    config: {
      rateLimit: {
        timeWindow: 60_000,
        // After body parsing: the page token is a field of the form.
        hook: 'preHandler' as const,
        keyGenerator: (request: FastifyRequest) => {
          const pageLoad = pageLoadOf(request);
          return pageLoad ? `page|${request.ip}|${pageLoad}` : `address|${request.ip}`;
        },
        max: (_request: FastifyRequest, key: string) =>
          key.startsWith('page|') ? PAGE_LOAD_POST_MAX : perAddress,
      },
    },
  };
}

/** What a public token looks like; anything else is answered without a database lookup. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export const isJsonRequest = (request: FastifyRequest): boolean =>
  String(request.headers['content-type'] ?? '').startsWith('application/json');

/** The `:token` of the URL, or null when it cannot be one. */
export const tokenOf = (request: FastifyRequest): string | null => {
  const token = (request.params as { token?: unknown }).token;
  return typeof token === 'string' && TOKEN_PATTERN.test(token) ? token : null;
};

/** The language a public link asks for (`?lang=nl|en`, as every page's own links carry), if any. */
export const langOf = (request: FastifyRequest): Locale | undefined => {
  const lang = (request.query as { lang?: unknown } | undefined)?.lang;
  return isLocale(lang) ? lang : undefined;
};

/**
 * The language of a public page: the link's `?lang=`, else the browser's (Accept-Language), else
 * `fallback` (the organisation's language when the page knows it). Error pages use it too, so a
 * visitor of an English page is told "please wait" in English.
 */
export const pageLocale = (request: FastifyRequest, fallback: Locale = 'nl'): Locale =>
  langOf(request) ?? localeFromHeader(request.headers['accept-language'], fallback);

/** A posted form's fields (an empty record when the body is not an object). */
export const formBody = (request: FastifyRequest): Record<string, unknown> =>
  (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;

/** Sends a rendered public page with the public-page security headers and its nonce. */
export function sendPage(reply: FastifyReply, nonce: string, status: number, page: string) {
  return setPublicPageHeaders(reply, nonce).status(status).send(page);
}

/** A friendly page that says why there is no form (unknown link, closed survey, …). */
export function sendMessage(
  reply: FastifyReply,
  kind: MessagePageKind,
  locale: Locale,
  extra: { brandColor?: string; organisationName?: string; formality?: Formality } = {},
) {
  const nonce = newNonce();
  return sendPage(
    reply,
    nonce,
    messagePageStatus(kind),
    renderMessagePage({ kind, locale, nonce, ...extra, params: { max: PUBLIC_TEXT_MAX } }),
  );
}
