import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Locale } from '../../db/schema.ts';
import { localeFromHeader } from '../../i18n/locale.ts';
import {
  messagePageStatus,
  renderMessagePage,
  type MessagePageKind,
} from '../public-pages/message-page.view.ts';
import { newNonce, setPublicPageHeaders } from '../public-pages/public-headers.ts';
import { branding } from './response-pages.presenter.ts';
import type { LinkState } from './response-rules.ts';
import { MAX_COMMENT_LENGTH, TOKEN_PATTERN } from './responses.schemas.ts';

/** Personal-link POSTs per IP and minute: generous (a shop's wifi or an office NAT shares an IP). */
export const PUBLIC_POST_LIMIT = { rateLimit: { max: 600, timeWindow: 60_000 } };
/**
 * Anonymous-link POSTs per IP and minute: much lower, because every POST without a device cookie
 * stores a new answer, so one address could otherwise stuff the walk-in survey. Thirty a minute is
 * still more than a shop counter full of customers sharing one wifi answers in person.
 */
export const ANONYMOUS_POST_LIMIT = { rateLimit: { max: 30, timeWindow: 60_000 } };
/** A form carries at most a 5,000-character comment (≤ 45 KB URL-encoded); larger bodies are refused. */
export const PUBLIC_BODY_LIMIT = 64 * 1024;

export const isJsonRequest = (request: FastifyRequest): boolean =>
  String(request.headers['content-type'] ?? '').startsWith('application/json');

/** The link token of the URL, or null when it cannot be one. */
export const tokenOf = (request: FastifyRequest): string | null => {
  const token = (request.params as { token?: unknown }).token;
  return typeof token === 'string' && TOKEN_PATTERN.test(token) ? token : null;
};

/** The browser's language, for pages that know nothing better. */
export const acceptLocale = (request: FastifyRequest): Locale =>
  localeFromHeader(request.headers['accept-language']);

/** A posted form's fields (an empty record when the body is not an object). */
export const formBody = (request: FastifyRequest): Record<string, unknown> =>
  (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;

export function sendPage(reply: FastifyReply, nonce: string, status: number, page: string) {
  return setPublicPageHeaders(reply, nonce).status(status).send(page);
}

/** A friendly page that says why there is no form (unknown link, closed survey, …). */
export function sendMessage(
  reply: FastifyReply,
  kind: MessagePageKind,
  locale: Locale,
  extra: { brandColor?: string; organisationName?: string } = {},
) {
  const nonce = newNonce();
  return sendPage(
    reply,
    nonce,
    messagePageStatus(kind),
    renderMessagePage({
      kind,
      locale,
      nonce,
      ...extra,
      params: { max: MAX_COMMENT_LENGTH },
    }),
  );
}

/** The page for a link that cannot take an answer now, in the contact's language when known. */
export function sendLinkState(
  reply: FastifyReply,
  state: LinkState,
  ctx:
    | {
        contact_language: Locale;
        organisation_name: string;
        survey_settings: string;
        organisation_settings: string;
      }
    | undefined,
  fallbackLocale: Locale,
) {
  const kind: MessagePageKind = state === 'open' ? 'unknown' : state;
  if (!ctx || kind === 'unknown') return sendMessage(reply, 'unknown', fallbackLocale);
  return sendMessage(reply, kind, ctx.contact_language, {
    ...branding(ctx.survey_settings, ctx.organisation_settings),
    organisationName: ctx.organisation_name,
  });
}
