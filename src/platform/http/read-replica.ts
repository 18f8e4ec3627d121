import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { readWith, type ReadSource } from '../../db/replica.ts';
import type { Database } from '../../db/schema.ts';
import type { Deps } from '../contract.ts';

/** When this browser last changed something (ms): its reads wait for the replica to replay it. */
export const WROTE_COOKIE = 'loyaal_wrote';

function lastWriteOf(request: FastifyRequest): number | null {
  const value = request.cookies[WROTE_COOKIE];
  const at = value === undefined ? Number.NaN : Number(value);
  return Number.isSafeInteger(at) && at > 0 ? at : null;
}

/**
 * A dashboard, report or export read: on the replica when there is one that is up, close enough
 * and has replayed this person's last change; else (and when the replica fails mid-read) on the
 * primary. The answer says which in `X-Loyaal-Read-From`.
 */
export async function dashboardRead<T>(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  read: (db: Kysely<Database>, source: ReadSource) => Promise<T>,
): Promise<T> {
  const { value, source } = await readWith(deps.db, deps.replica, lastWriteOf(request), read);
  void reply.header('x-loyaal-read-from', source);
  return value;
}

/**
 * Read-your-own-writes with a replica: a person's change through the staff API (a session, not an
 * API key) stamps the browser with the time, and their next dashboards come from the primary until
 * the replica has replayed past it. The stamp is a time, not data; it lives ten minutes.
 */
export function markWrites(app: FastifyInstance, deps: Deps): void {
  if (!deps.replica) return;
  app.addHook('onSend', async (request, reply, payload) => {
    if (
      request.method !== 'GET' &&
      request.method !== 'HEAD' &&
      request.method !== 'OPTIONS' &&
      request.url.startsWith('/api/') &&
      reply.statusCode < 400 &&
      request.actor?.kind === 'user'
    ) {
      void reply.setCookie(WROTE_COOKIE, String(Date.now()), {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.config.COOKIE_SECURE,
        maxAge: 600,
      });
    }
    return payload;
  });
}
