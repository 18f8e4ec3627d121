import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { authPlugin } from '../modules/auth/auth.plugin.ts';
import {
  isPublicLinkPath,
  mountPublicPages,
  publicErrorHandler,
} from '../modules/public-pages/mount-public-pages.ts';
import type { Deps } from '../platform/deps.ts';
import { errorHandler } from '../platform/http/errors.ts';
import { describe, type RouteEntry } from '../platform/http/operation.ts';
import { markWrites } from '../platform/http/read-replica.ts';
import { rateLimitStore } from '../platform/rate-limits/fastify-store.ts';
import { createRateCounter, type RateCounter } from '../platform/rate-limits/rate-counter.ts';
import type { TrustProxy } from '../config.ts';
import { AppError } from '../shared/errors.ts';
import { registerAdminStatic } from './admin-static.ts';
import { registerMetrics } from './metrics-endpoint.ts';
import { buildOpenApiDocument, openApiDocumentSchema } from './openapi.ts';
import { WEBHOOK_SOURCES } from '../modules/webhooks/webhook-catalogue.ts';

/** The webhook bodies the OpenAPI document describes: every type of the catalogue. */
const webhookPayloads = WEBHOOK_SOURCES.flatMap((s) =>
  s.types.map((type) => ({ type, data: s.data })),
);

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
    /** The rate-limit counters every limit of this app counts in (shared across processes on PG). */
    rateCounter: RateCounter;
  }
}

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  /** Serve the built admin app from web/dist (production). */
  serveAdmin?: boolean;
  /**
   * Called with every answer the app sends (tests: the OpenAPI response test validates them
   * against the document). Production leaves it out.
   */
  observeResponse?: (response: ObservedResponse) => void;
}

/** One answer as sent: which route answered, with what status, media type and body. */
export interface ObservedResponse {
  method: string;
  /** The route's pattern, e.g. `/api/v1/contacts/:id` (undefined when no route matched). */
  route: string | undefined;
  status: number;
  contentType: string | undefined;
  body: string;
}

/**
 * Fastify's `trustProxy` as a function for a hop count (Fastify's types leave out the number it
 * accepts): the first `hops` addresses from the socket inwards are proxies.
 */
function trustProxyOption(
  value: TrustProxy,
): boolean | string[] | ((a: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return value;
}

/**
 * Builds the HTTP application: plugins, then every module's routes from the module list — the
 * staff API each in its own scope, the public pages inside the public-page kit. Routes are thin:
 * they authorise, validate, open a transaction and call a service.
 */
export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    // Node's limit on receiving a whole request, which Fastify switches off by default. Node checks
    // it every `connectionsCheckingInterval`, so that follows a short timeout down.
    requestTimeout: deps.config.REQUEST_TIMEOUT_MS,
    http: {
      connectionsCheckingInterval: Math.min(
        30_000,
        Math.max(250, Math.floor(deps.config.REQUEST_TIMEOUT_MS / 4)),
      ),
    },
    trustProxy: trustProxyOption(deps.config.TRUST_PROXY),
    ajv: { customOptions: { removeAdditional: false } },
    // A link with a slash after the token (a mail or chat app rewrote it, or it was typed from a
    // poster) is the same link: the page, not the API's JSON 404.
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
  });

  // Node enforces the request timeout only while the headers timeout is not longer than it.
  app.server.headersTimeout = Math.min(60_000, deps.config.REQUEST_TIMEOUT_MS);

  // Every route, as registered, with its description: the OpenAPI document and the
  // tenant-isolation suite walk this list.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const operation = route.config?.operation;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') {
        routeTable.push({ method, url: route.url, ...(operation ? { operation } : {}) });
      }
    }
  });

  // API answers hold customers' data: no browser or proxy may keep a copy. Public pages and the
  // admin app's files set their own caching.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      void reply.header('cache-control', 'no-store');
    }
    return payload;
  });

  const observe = options.observeResponse;
  if (observe) {
    app.addHook('onSend', async (request, reply, payload) => {
      const contentType = reply.getHeader('content-type');
      observe({
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        contentType: typeof contentType === 'string' ? contentType : undefined,
        body:
          typeof payload === 'string'
            ? payload
            : Buffer.isBuffer(payload)
              ? payload.toString('utf8')
              : '',
      });
      return payload;
    });
  }

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    const error = new AppError('not_found', { params: { entity: 'route' } });
    if (isPublicLinkPath(request.url)) publicErrorHandler(error, request, reply);
    else errorHandler(error, request, reply);
  });

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  // Every route's limit counts in one place: the database on PostgreSQL, so a limit holds across
  // all app processes behind the proxy; this process's memory on SQLite (one process serves).
  const rateCounter = createRateCounter(deps.db, deps.config.RATE_LIMIT_STORE);
  app.decorate('rateCounter', rateCounter);
  await app.register(rateLimit, { global: false, store: rateLimitStore(rateCounter) });
  await app.register(authPlugin, deps);
  markWrites(app, deps);

  app.get('/health', async () => ({ status: 'ok' }));
  if (deps.metrics && deps.config.METRICS_TOKEN) {
    registerMetrics(app, deps.metrics, deps.config.METRICS_TOKEN);
  }
  app.get(
    '/api/v1/openapi.json',
    describe({
      tag: 'meta',
      summary: 'This document',
      public: true,
      response: openApiDocumentSchema,
    }),
    async () => buildOpenApiDocument(routeTable, deps.config.publicUrl, webhookPayloads),
  );

  for (const module of deps.platform.modules) {
    const routes = module.routes;
    if (routes) await app.register(async (scope) => routes(scope, deps));
  }
  await mountPublicPages(
    app,
    deps,
    deps.platform.modules.flatMap((m) => (m.publicRoutes ? [m.publicRoutes] : [])),
  );

  if (options.serveAdmin) await registerAdminStatic(app);

  return app;
}
