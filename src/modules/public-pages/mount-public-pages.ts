import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import type { RouteRegistrar } from '../../platform/define-module.ts';
import {
  errorHandler,
  logRequestError,
  RETRY_AFTER_SECONDS,
  toAppError,
} from '../../platform/http/errors.ts';
import { AppError } from '../../shared/errors.ts';
import { messagePageStatus, renderMessagePage, type MessagePageKind } from './message-page.view.ts';
import { newNonce } from './public-headers.ts';
import { isJsonRequest, pageLocale, PUBLIC_TEXT_MAX, sendPage } from './public-replies.ts';

/**
 * Errors on public pages: a JSON request (the page's autosave, an integrator) gets the usual JSON
 * error; a person with a browser gets a friendly page that reveals nothing about the link, in the
 * language the page would have spoken (the link's `?lang=`, else the browser's: `pageLocale`).
 */
export function publicErrorHandler(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (isJsonRequest(request)) {
    errorHandler(error, request, reply);
    return;
  }
  const appError = toAppError(error);
  const code = error instanceof AppError ? error.code : (error as FastifyError).code;
  const status = error instanceof AppError ? 0 : ((error as FastifyError).statusCode ?? 500);
  let kind: MessagePageKind;
  if (code === 'response_link_unknown' || code === 'not_found') kind = 'unknown';
  else if (code === 'payload_too_large' || code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    kind = 'too_large';
  else if (code === 'rate_limited' || status === 429) kind = 'rate_limited';
  else if (appError.code === 'database_unavailable' || appError.code === 'storage_full') {
    logRequestError(request, error, appError);
    void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    kind = 'unavailable';
  } else if (error instanceof AppError ? error.code !== 'internal' : status >= 400 && status < 500)
    kind = 'bad_request';
  else {
    request.log.error({ err: error }, 'unhandled error on a public page');
    kind = 'internal';
  }
  const nonce = newNonce();
  void sendPage(
    reply,
    nonce,
    kind === 'bad_request' && status === 415 ? 415 : messagePageStatus(kind),
    renderMessagePage({
      kind,
      locale: pageLocale(request),
      nonce,
      params: { max: PUBLIC_TEXT_MAX },
    }),
  );
}

/** The first path segment of every public page's link (`/r/<token>`, `/s/<token>`, …). */
const PUBLIC_LINK = /^\/(?:r|s|u|a|f|v|k|o)(?:[/?]|$)/;

/**
 * A path under a public page's prefix that no route knows (`/r/` without its token, a link cut
 * short): to a person it is a link that does not work — the friendly page, not the API's JSON.
 */
export function isPublicLinkPath(url: string): boolean {
  return PUBLIC_LINK.test(url);
}

/**
 * The public-page kit: one scope for every server-rendered page that people without a staff login
 * open (respondents, ambassadors, friends, the counter's voucher screen), with friendly error pages
 * and no staff session involved (see `needsActor`). Each module's pages get a child scope of their
 * own, so a module's content-type parser or hooks never leak into another's.
 */
export async function mountPublicPages(
  app: FastifyInstance,
  deps: Deps,
  registrars: readonly RouteRegistrar[],
): Promise<void> {
  await app.register(async (scope) => {
    scope.setErrorHandler(publicErrorHandler);
    for (const register of registrars) {
      await scope.register(async (child) => register(child, deps));
    }
  });
}
