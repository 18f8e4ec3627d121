import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../shared/errors.ts';
import type { Deps } from '../../platform/deps.ts';
import { actorFromApiKey, actorFromSession, csrfMatches } from './auth.service.ts';

import { SESSION_COOKIE } from './session-cookie.ts';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Only the staff API resolves an actor. Public pages (`/r`, `/s`, `/u`), the admin app's files,
 * setup, login, invitation acceptance and webhooks carry their own credential (a token, a shared
 * secret) or need none, so a staff member's session cookie in the same browser must not subject
 * them to the CSRF check, and a webhook's `Authorization` header is not mistaken for an API key.
 */
function needsActor(route: string | undefined): boolean {
  if (!route?.startsWith('/api/')) return false;
  return !(
    route.startsWith('/api/v1/public/') ||
    route.startsWith('/api/v1/webhooks/') ||
    route === '/api/v1/setup' ||
    route === '/api/v1/auth/login'
  );
}

/**
 * Resolves the actor of every request: a Bearer API key, or the session cookie. Cookie-authenticated
 * requests that change state must carry the session's CSRF token in `X-CSRF-Token`; API keys are not
 * sent by browsers automatically, so they need none.
 */
export const authPlugin = fp(async (app: FastifyInstance, deps: Deps) => {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    if (!needsActor(request.routeOptions.url)) return;
    const auth = request.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      request.actor = await actorFromApiKey(deps.db.kysely, auth.slice(7).trim(), deps.now());
      // A key was presented and is wrong or revoked: say so, not "please log in" (an integration
      // has no login; its operator must replace the key).
      if (!request.actor) throw new AppError('api_key_invalid');
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    request.actor = await actorFromSession(deps.db.kysely, token, deps.now());
    if (request.actor && !SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (!csrfMatches(request.actor, typeof header === 'string' ? header : undefined)) {
        throw new AppError('csrf_failed');
      }
    }
  });
});
