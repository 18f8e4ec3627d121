import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, type FieldIssue } from '../../shared/errors.ts';
import { hasMessage, t } from '../../i18n/messages.ts';
import { localeFromHeader } from '../../i18n/locale.ts';
import { fieldLabel, unknownFieldLabel } from '../../i18n/field-labels.ts';
import type { Locale } from '../../db/schema.ts';
import { isDatabaseUnavailable, isStorageFull } from '../../db/database.ts';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_multipart: 400,
  not_found: 404,
  unauthenticated: 401,
  invalid_credentials: 401,
  api_key_invalid: 401,
  forbidden: 403,
  employee_nps_disabled: 403,
  csrf_failed: 403,
  rate_limited: 429,
  conflict: 409,
  already_set_up: 409,
  invite_invalid: 410,
  import_invalid_file: 400,
  import_not_ready: 409,
  import_has_errors: 409,
  import_question_open: 409,
  import_expired: 410,
  upload_quota_exceeded: 409,
  email_taken: 409,
  token_invalid: 410,
  survey_archived: 409,
  email_not_retryable: 409,
  response_link_unknown: 404,
  response_link_expired: 410,
  response_closed: 410,
  survey_closed: 410,
  database_unavailable: 503,
  storage_full: 507,
  secret_key_missing: 409,
  survey_not_active: 409,
  internal: 500,
};

export const statusOf = (code: ErrorCode): number => STATUS[code];

export function requestLocale(request: FastifyRequest): Locale {
  const actor = request.actor;
  return actor?.kind === 'user'
    ? actor.locale
    : localeFromHeader(request.headers['accept-language']);
}

/**
 * One field's problem as a person reads it: the field's label in the reader's language, then the
 * problem ("Laatste dag ligt in het verleden", "Naam is al in gebruik"), never the internal path.
 * `tag` is the OpenAPI tag of the operation, for labels that differ per module. A problem that
 * reads differently for one field has a message of its own, `problem.<code>.<field>`.
 */
export function fieldMessage(issue: FieldIssue, locale: Locale, tag?: string): string {
  const own = `problem.${issue.problem}.${issue.field}`;
  const key = hasMessage(own) ? own : `problem.${issue.problem}`;
  const problem = hasMessage(key) ? t(locale, key, issue.params) : issue.problem;
  const label =
    issue.problem === 'unknown_field'
      ? unknownFieldLabel(locale, issue.field)
      : fieldLabel(locale, issue.field, tag);
  return `${label} ${problem}`;
}

/** The JSON body of every error: a stable code, a translated message, and per-field problems. */
export function errorBody(error: AppError, locale: Locale, tag?: string) {
  return {
    error: {
      code: error.code,
      message: t(locale, `error.${error.code}`, error.params),
      ...(error.issues.length
        ? {
            fields: error.issues.map((i) => ({
              field: i.field,
              problem: i.problem,
              message: fieldMessage(i, locale, tag),
            })),
          }
        : {}),
    },
  };
}

/** Translates Fastify's own errors (bad JSON, body limits, content types) into our error codes. */
function fromFastify(error: FastifyError): AppError {
  // The database is restarting or the connection was cut: a moment's patience, not a bug.
  if (isDatabaseUnavailable(error)) return new AppError('database_unavailable', { cause: error });
  if (isStorageFull(error)) return new AppError('storage_full', { cause: error });
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
      return new AppError('payload_too_large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type');
    default:
      break;
  }
  if (error.statusCode === 429) return new AppError('rate_limited');
  // A unique index caught a race or a duplicate the service did not check: a conflict, not a crash.
  const dbCode = (error as { code?: unknown }).code;
  if (
    dbCode === '23505' ||
    dbCode === 'SQLITE_CONSTRAINT_UNIQUE' ||
    dbCode === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  ) {
    return new AppError('conflict', { issues: [{ field: '_', problem: 'taken' }] });
  }
  if (error instanceof SyntaxError) return new AppError('invalid_json');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('validation_failed', {
      issues: [{ field: '_', problem: 'invalid_value' }],
    });
  }
  return new AppError('internal', { cause: error });
}

/** Any error thrown while handling a request, as the AppError the client will see. */
export function toAppError(error: unknown): AppError {
  return error instanceof AppError ? error : fromFastify(error as FastifyError);
}

/** Seconds a client should wait before trying again after a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** Logs what the operator must know about an error: bugs in full, an unreachable database in a line. */
export function logRequestError(request: FastifyRequest, error: unknown, appError: AppError): void {
  if (appError.code === 'internal') request.log.error({ err: error }, 'unhandled error');
  else if (appError.code === 'storage_full') {
    const code = (error as { code?: unknown }).code;
    request.log.error(
      { code, error: error instanceof Error ? error.message : String(error) },
      `database storage is full (${String(code)}): nothing was written; make room on the disk`,
    );
  } else if (appError.code === 'database_unavailable') {
    const message = error instanceof Error ? error.message : String(error);
    request.log.warn({ error: message }, 'database unavailable');
  }
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const appError = toAppError(error);
  logRequestError(request, error, appError);
  const status = statusOf(appError.code);
  if (status === 503) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  const tag = request.routeOptions.config.operation?.tag;
  void reply.status(status).send(errorBody(appError, requestLocale(request), tag));
}
