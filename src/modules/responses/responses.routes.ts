import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { localeFromHeader } from '../../i18n/locale.ts';
import { errorHandler } from '../../server/errors.ts';
import type { Deps } from '../../server/deps.ts';
import { AppError } from '../../shared/errors.ts';
import {
  messagePageStatus,
  renderMessagePage,
  type MessagePageKind,
} from '../public-pages/message-page.view.ts';
import { newNonce, setPublicPageHeaders } from '../public-pages/public-headers.ts';
import { anonymousPageRoutes } from './anonymous-pages.routes.ts';
import { invitationPageRoutes } from './invitation-pages.routes.ts';
import { isJsonRequest } from './public-page-replies.ts';
import { createResponseWriter } from './response-writer.ts';
import { MAX_COMMENT_LENGTH } from './responses.schemas.ts';
import { surveyQrRoutes } from './survey-qr.routes.ts';

/**
 * Errors on public pages: the JSON endpoint answers with the usual JSON error; a person with a
 * browser gets a friendly page in their language that reveals nothing about the link.
 */
function publicErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (isJsonRequest(request)) {
    errorHandler(error, request, reply);
    return;
  }
  const locale = localeFromHeader(request.headers['accept-language']);
  const code = error instanceof AppError ? error.code : (error as FastifyError).code;
  const status = error instanceof AppError ? 0 : ((error as FastifyError).statusCode ?? 500);
  let kind: MessagePageKind;
  if (code === 'response_link_unknown' || code === 'not_found') kind = 'unknown';
  else if (code === 'payload_too_large' || code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    kind = 'too_large';
  else if (code === 'rate_limited' || status === 429) kind = 'rate_limited';
  else if (error instanceof AppError ? error.code !== 'internal' : status >= 400 && status < 500)
    kind = 'bad_request';
  else {
    request.log.error({ err: error }, 'unhandled error on a public page');
    kind = 'internal';
  }
  const nonce = newNonce();
  void setPublicPageHeaders(reply, nonce)
    .status(kind === 'bad_request' && status === 415 ? 415 : messagePageStatus(kind))
    .send(renderMessagePage({ kind, locale, nonce, params: { max: MAX_COMMENT_LENGTH } }));
}

/**
 * The public doors for respondents: the personal link of an email invitation (`/r/:token`) and the
 * anonymous link / QR code of a survey (`/s/:token`), sharing one friendly error page and the
 * group-commit writer that stores personal-link answers.
 */
export async function responseRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  // The QR code and poster are staff routes with the usual JSON errors: their own scope.
  await app.register(async (scope) => surveyQrRoutes(scope, deps));
  const writer = createResponseWriter(deps.db.kysely, {
    concurrency: deps.db.dialect === 'sqlite' ? 1 : 4,
  });
  app.addHook('onClose', async () => writer.close());
  app.setErrorHandler(publicErrorHandler);

  invitationPageRoutes(app, deps, writer);
  anonymousPageRoutes(app, deps);
}
