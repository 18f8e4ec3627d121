import type { FastifyServerOptions } from 'fastify';
import { maskAllPublicLinks } from '../shared/credential-links.ts';

/**
 * Public links carry their credential in the path (the list: `src/shared/credential-links.ts`).
 * Request logs keep the route but never the token, so whoever reads the logs cannot act as a
 * customer, an ambassador or a colleague.
 */
export function redactUrl(text: string): string {
  return maskAllPublicLinks(text, '***');
}

interface LoggedRequest {
  method: string;
  url: string;
  ip?: string;
}

/** Fastify request serializer: method, redacted URL and client address; no headers, no cookies. */
export function serializeRequest(request: LoggedRequest): Record<string, string | undefined> {
  return { method: request.method, url: redactUrl(request.url), remoteAddress: request.ip };
}

type PinoOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/**
 * The logger of the HTTP server. The request serializer drops headers; the last step before a line
 * is written masks public tokens anywhere in it, so a URL in a message ("Route GET:/a/… not
 * found") or in an error is masked like the request's own.
 */
export function serverLoggerOptions(level: string, stream?: { write(line: string): void }) {
  return {
    level,
    serializers: { req: serializeRequest },
    hooks: { streamWrite: redactUrl },
    ...(stream ? { stream } : {}),
  } satisfies PinoOptions;
}
