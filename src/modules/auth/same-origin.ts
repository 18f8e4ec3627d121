import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.ts';

/**
 * Guards the routes that create a session without one (login, first-visit setup, accepting an
 * invitation) against login CSRF: a page on another site that posts a form to them would log the
 * visitor into the attacker's organisation. Such a form can only send url-encoded or multipart
 * bodies, and a cross-site `fetch` with a JSON body needs a CORS preflight that Loyaal never
 * grants; so these routes take JSON only. As a second wall, a browser's `Origin` must be this
 * server (its PUBLIC_URL, or the host the request was sent to), and `Sec-Fetch-Site` must not say
 * another site. Clients that are not browsers (curl, the CLI, tests) send neither and pass.
 */
/** True when `origin` names the host (and port) the request was sent to. */
function sameHost(origin: string, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  try {
    const from = new URL(origin);
    // Through a URL of the origin's scheme, so a default port (`:80`, `:443`) compares equal.
    return from.host === new URL(`${from.protocol}//${hostHeader}`).host;
  } catch {
    return false;
  }
}

export function sameOriginJsonOnly(publicUrl: string) {
  const publicOrigin = new URL(publicUrl).origin;
  return async (request: FastifyRequest): Promise<void> => {
    const type = String(request.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase();
    if (type !== 'application/json') throw new AppError('unsupported_media_type');
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (origin !== publicOrigin && !sameHost(origin, request.headers.host)) {
        throw new AppError('csrf_failed');
      }
    }
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') throw new AppError('csrf_failed');
  };
}
