/**
 * The one error type of Loyaal. Every failure a client may see has a stable string code; the HTTP
 * layer maps the code to a status and to a translated message in one place (src/platform/http/errors.ts).
 */
export type ErrorCode =
  | 'validation_failed'
  | 'invalid_json'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'invalid_multipart'
  | 'not_found'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'api_key_invalid'
  | 'forbidden'
  | 'employee_nps_disabled'
  | 'csrf_failed'
  | 'rate_limited'
  | 'conflict'
  | 'already_set_up'
  | 'invite_invalid'
  | 'import_invalid_file'
  | 'import_not_ready'
  | 'import_has_errors'
  | 'import_question_open'
  | 'import_expired'
  | 'upload_quota_exceeded'
  | 'email_taken'
  | 'token_invalid'
  | 'survey_archived'
  | 'email_not_retryable'
  | 'response_link_unknown'
  | 'response_link_expired'
  | 'response_closed'
  | 'survey_closed'
  | 'database_unavailable'
  | 'storage_full'
  | 'secret_key_missing'
  | 'survey_not_active'
  | 'internal';

export interface FieldIssue {
  /** Dotted path of the field in the request, e.g. `email` or `attributes.kenteken`. */
  field: string;
  /** Stable problem code, e.g. `invalid_email`, `too_long`, `required`, `unknown_field`. */
  problem: string;
  /** Parameters for the translated message (e.g. `{ max: 200 }`). */
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  readonly params: Record<string, string | number>;

  constructor(
    code: ErrorCode,
    options: {
      issues?: FieldIssue[];
      params?: Record<string, string | number>;
      cause?: unknown;
    } = {},
  ) {
    super(code, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.issues = options.issues ?? [];
    this.params = options.params ?? {};
  }
}

export const notFound = (entity: string): AppError =>
  new AppError('not_found', { params: { entity } });
export const forbidden = (): AppError => new AppError('forbidden');
export const conflict = (issue: FieldIssue): AppError =>
  new AppError('conflict', { issues: [issue] });
export const invalid = (issues: FieldIssue[]): AppError =>
  new AppError('validation_failed', { issues });
