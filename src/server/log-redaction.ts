/**
 * Public links carry their credential in the path: `/r/<token>` answers a survey as the customer,
 * `/u/<token>` unsubscribes them (`/rv/<token>` from review requests only), `/s/<token>` is a
 * survey's anonymous link and
 * `/api/v1/public/invites/<token>` makes a staff account. Request logs keep the route but never the
 * token, so whoever reads the logs cannot act as a customer or a colleague.
 */
export function redactUrl(url: string): string {
  return url.replace(/(\/(?:r|s|u|rv)\/|\/invites\/)[^/?#]+/g, '$1***');
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
