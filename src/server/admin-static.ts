import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { localeFromHeader } from '../i18n/locale.ts';
import { t } from '../i18n/messages.ts';

/** Where `npm run build` (vite) writes the admin app. */
export const ADMIN_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * The admin page may load only its own files and talk only to this server: no third parties, no
 * framing by other sites. Styles allow inline because the outbox previews email HTML (which is all
 * inline styles) in a sandboxed `srcdoc` frame that inherits this policy; scripts never run there.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(reply: FastifyReply): void {
  void reply.header('content-security-policy', CSP);
  void reply.header('x-frame-options', 'DENY');
  void reply.header('referrer-policy', 'same-origin');
  void reply.header('x-content-type-options', 'nosniff');
}

/**
 * Serves the built admin app under /admin/ as a single-page app: files from web/dist, and for any
 * other /admin/* address the app's index.html, whose router picks the screen. Hashed assets are
 * cached for a year (their name changes with their content); index.html is revalidated every time
 * so a new build is picked up at once. `GET /` sends people to the admin.
 */
export async function registerAdminStatic(
  app: FastifyInstance,
  options: { root?: string } = {},
): Promise<void> {
  const root = options.root ?? ADMIN_DIST;
  app.get('/', async (_request, reply) => reply.redirect('/admin/', 302));

  if (!existsSync(`${root}/index.html`)) {
    const notBuilt = async (request: FastifyRequest, reply: FastifyReply) => {
      securityHeaders(reply);
      const locale = localeFromHeader(request.headers['accept-language']);
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(`${t(locale, 'admin.not_built')}\n`);
    };
    // `/admin/` is `/admin` to the app's router (it ignores a trailing slash).
    app.get('/admin', notBuilt);
    app.get('/admin/*', notBuilt);
    return;
  }

  await app.register(
    async (scope) => {
      scope.addHook('onSend', async (_request, reply, payload) => {
        securityHeaders(reply);
        return payload;
      });
      await scope.register(fastifyStatic, {
        root,
        prefix: '/',
        index: false,
        cacheControl: false,
        setHeaders: (reply, path) => {
          const immutable = /[\\/]assets[\\/]/.test(path) && !path.endsWith('index.html');
          void reply.header(
            'cache-control',
            immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      });
      const sendIndex = (reply: FastifyReply) =>
        reply.header('cache-control', 'no-cache').sendFile('index.html');
      scope.get('/', async (_request, reply) => sendIndex(reply));
      // A directory such as /admin/assets/ (nothing to list) or an unreadable file.
      scope.setErrorHandler(async (error, request, reply) => {
        const status = (error as { statusCode?: number }).statusCode ?? 500;
        if (status >= 500) request.log.error({ err: error }, 'admin file could not be served');
        return reply
          .status(status >= 500 ? 500 : 404)
          .type('text/plain; charset=utf-8')
          .send(status >= 500 ? 'Internal error\n' : 'Not found\n');
      });
      // Not a file: a screen of the app (deep link or reload), unless it looks like a missing asset.
      scope.setNotFoundHandler(async (request, reply) => {
        const path = request.url.split('?')[0] ?? '';
        if ((request.method !== 'GET' && request.method !== 'HEAD') || /\.[a-z0-9]+$/i.test(path)) {
          return reply.status(404).type('text/plain; charset=utf-8').send('Not found\n');
        }
        return sendIndex(reply);
      });
    },
    { prefix: '/admin' },
  );
}
