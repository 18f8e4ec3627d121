import type { RouteShorthandOptions } from 'fastify';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/errors.ts';

/**
 * The OpenAPI description of one route, kept beside the route (`app.get(url, describe({...}),
 * handler)`) and built from the same Zod schemas the route validates its input with and its
 * presenter returns — so the description cannot drift from the code.
 *
 * Every operation under `/api/v1` says what it answers: a JSON `response` schema (the Zod object
 * its presenter is typed by, e.g. `contactSchema` with `presentContact(): ContactJson`), or
 * `status: 204` (no body), or `produces` (a non-JSON body such as CSV). Error answers are derived:
 * the generic ones (400, 401, 403, 404 when the path names a resource, 500, 503) plus the status
 * of each code in `errors`. `test/api/openapi-responses.test.ts` calls every described operation
 * and validates the real answers against this document.
 */
export interface Operation {
  tag: string;
  summary: string;
  description?: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** The JSON body of the success response: the schema its presenter returns. */
  response?: z.ZodType;
  /** Success status: 200 by default (201 for POSTs), 204 for no body, 303 for a redirect. */
  status?: number;
  /**
   * A second success status with the same body, for an operation whose answer tells two outcomes
   * apart by status (an upsert: 201 for a new resource, 200 for an update of an existing one).
   */
  alsoStatus?: number;
  /** Response media type when not JSON (e.g. `image/svg+xml`, `text/csv`, `text/html`). */
  produces?: string;
  /** Request media type when not JSON (e.g. `multipart/form-data`). */
  consumes?: string;
  /** No credentials needed (setup, login, or the path carries its own token). */
  public?: boolean;
  /** Error codes this operation answers besides the generic ones (e.g. `conflict`). */
  errors?: readonly ErrorCode[];
}

/** A registered route with its description, as the OpenAPI builder and the tests walk them. */
export interface RouteEntry {
  method: string;
  url: string;
  operation?: Operation;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's OpenAPI description; routes under /api/v1 must have one. */
    operation?: Operation;
  }
}

/** Route options carrying the route's description (and any other options of the route). */
export function describe(operation: Operation, options: RouteShorthandOptions = {}) {
  return { ...options, config: { ...options.config, operation } } satisfies RouteShorthandOptions;
}
