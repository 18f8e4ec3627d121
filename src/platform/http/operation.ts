import type { RouteShorthandOptions } from 'fastify';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/errors.ts';

/**
 * The OpenAPI description of one route, kept beside the route (`app.get(url, describe({...}),
 * handler)`) and built from the same Zod schemas the route validates its input with and its
 * presenter's output is typed by — so the description cannot drift from the code.
 */
export interface Operation {
  tag: string;
  summary: string;
  description?: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** The JSON body of the success response. */
  response?: z.ZodType;
  /** Success status: 200 by default, 201 for POSTs that create, 204 for no body. */
  status?: number;
  /** Response media type when not JSON (e.g. `image/svg+xml`, `text/csv`). */
  produces?: string;
  /** Request media type when not JSON (e.g. `multipart/form-data`). */
  consumes?: string;
  /** No credentials needed (setup, login, or the path carries its own token). */
  public?: boolean;
  /** Error codes this operation answers besides the generic ones (e.g. `conflict`). */
  errors?: readonly ErrorCode[];
  /** List endpoints that can count: documents `?total=true` and `total` in the page. */
  pagedTotal?: boolean;
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
