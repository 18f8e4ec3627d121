/**
 * The one way the admin app talks to the API: JSON over fetch with the session cookie, the CSRF
 * token on every change, the chosen UI language in `Accept-Language` (so error messages come back
 * translated), and error bodies mapped to a typed `ApiError` that forms can show next to fields.
 */

export type Locale = 'nl' | 'en';

export interface FieldError {
  field: string;
  problem: string;
  message: string;
}

/** An error answered by the API (`{ error: { code, message, fields } }`) or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];

  constructor(status: number, code: string, message: string, fields: FieldError[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  /**
   * The translated problem of one field, as the API words it: named by the field's label in the
   * user's language ("Laatste dag ligt in het verleden"), so it reads the same beside the field
   * and in a list of problems.
   */
  fieldMessage(field: string): string | null {
    return this.fields.find((f) => f.field === field)?.message ?? null;
  }
}

const state: { csrfToken: string | null; locale: Locale } = { csrfToken: null, locale: 'nl' };

/** Remembers the CSRF token from `GET /auth/me` or from a login/setup/accept response. */
export function setCsrfToken(token: string | null): void {
  state.csrfToken = token;
}

/** The language the API should answer errors in: the one chosen in the header. */
export function setApiLocale(locale: Locale): void {
  state.locale = locale;
}

let onUnauthenticated: (() => void) | null = null;

/** Called when a request answers 401 on a page that needs a login (e.g. the session expired). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

type Query = Record<string, string | number | null | undefined>;

/** Builds `/api/v1/<path>?<query>`, leaving out empty values. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

function headers(method: string, extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { 'Accept-Language': state.locale, ...extra };
  if (method !== 'GET' && method !== 'HEAD' && state.csrfToken) h['X-CSRF-Token'] = state.csrfToken;
  return h;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: keep the status only
  }
  const err = (body as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | null)
    ?.error;
  const code = typeof err?.code === 'string' ? err.code : 'internal';
  const message = typeof err?.message === 'string' ? err.message : res.statusText;
  const fields = Array.isArray(err?.fields) ? (err.fields as FieldError[]) : [];
  return new ApiError(res.status, code, message, fields);
}

async function send(url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  if (!res.ok) {
    const error = await toApiError(res);
    if (res.status === 401 && error.code === 'unauthenticated') onUnauthenticated?.();
    throw error;
  }
  return res;
}

/** Sends a JSON request and returns the parsed JSON answer (`undefined` for 204). */
export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: { body?: unknown; query?: Query; headers?: Record<string, string> } = {},
): Promise<T> {
  const hasBody = options.body !== undefined;
  const res = await send(apiUrl(path, options.query), {
    method,
    headers: headers(method, {
      ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
      ...options.headers,
    }),
    ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Uploads a file as multipart/form-data (the import wizard) and returns the JSON answer. */
export async function upload<T>(
  path: string,
  file: File,
  fields: Record<string, string> = {},
): Promise<T> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', file, file.name);
  const res = await send(apiUrl(path), { method: 'POST', headers: headers('POST'), body: form });
  return (await res.json()) as T;
}

/** Downloads an API answer as a file (the contact's JSON export), using the session cookie. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await send(apiUrl(path), { method: 'GET', headers: headers('GET') });
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
