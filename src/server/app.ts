import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { authPlugin } from '../modules/auth/auth.plugin.ts';
import { authRoutes } from '../modules/auth/auth.routes.ts';
import { contactRoutes } from '../modules/contacts/contacts.routes.ts';
import { surveyRoutes } from '../modules/surveys/surveys.routes.ts';
import { invitationRoutes } from '../modules/invitations/invitations.routes.ts';
import { outboxRoutes } from '../modules/email/outbox.routes.ts';
import { unsubscribeRoutes } from '../modules/email/unsubscribe.routes.ts';
import { bounceRoutes } from '../modules/email/bounces.routes.ts';
import { organisationRoutes } from '../modules/organisations/organisations.routes.ts';
import { accountRoutes } from '../modules/accounts/accounts.routes.ts';
import { apiKeyRoutes } from '../modules/api-keys/api-keys.routes.ts';
import { employeeRoutes } from '../modules/employees/employees.routes.ts';
import { userRoutes } from '../modules/users/users.routes.ts';
import { auditRoutes } from '../modules/audit/audit.routes.ts';
import { responseRoutes } from '../modules/responses/responses.routes.ts';
import { analyticsRoutes } from '../modules/analytics/analytics.routes.ts';
import { importRoutes } from '../modules/imports/imports.routes.ts';
import type { Deps } from './deps.ts';
import { errorHandler } from './errors.ts';
import { buildOpenApiDocument } from './openapi.ts';
import './operations.ts';
import { registerAdminStatic } from './admin-static.ts';
import { AppError } from '../shared/errors.ts';

export interface RouteEntry {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
}

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  /** Serve the built admin app from web/dist (production). */
  serveAdmin?: boolean;
}

/**
 * Builds the HTTP application: plugins, then one route module per feature. Routes are thin: they
 * authorise, validate, open a transaction and call a service.
 */
export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: deps.config.TRUST_PROXY,
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { maxParamLength: 200 },
  });

  // Every route, as registered: the OpenAPI document and the tenant-isolation suite walk this list.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeTable.push({ method, url: route.url });
    }
  });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    errorHandler(new AppError('not_found', { params: { entity: 'route' } }), request, reply);
  });

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(rateLimit, { global: false });
  await app.register(authPlugin, deps);

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/api/v1/openapi.json', async () =>
    buildOpenApiDocument(routeTable, deps.config.publicUrl),
  );

  await app.register(async (scope) => organisationRoutes(scope, deps));
  await app.register(async (scope) => authRoutes(scope, deps));
  await app.register(async (scope) => userRoutes(scope, deps));
  await app.register(async (scope) => apiKeyRoutes(scope, deps));
  await app.register(async (scope) => employeeRoutes(scope, deps));
  await app.register(async (scope) => accountRoutes(scope, deps));
  await app.register(async (scope) => contactRoutes(scope, deps));
  await app.register(async (scope) => auditRoutes(scope, deps));
  await app.register(async (scope) => responseRoutes(scope, deps));
  await app.register(async (scope) => analyticsRoutes(scope, deps));
  await app.register(async (scope) => surveyRoutes(scope, deps));
  await app.register(async (scope) => invitationRoutes(scope, deps));
  await app.register(async (scope) => outboxRoutes(scope, deps));
  await app.register(async (scope) => unsubscribeRoutes(scope, deps));
  await app.register(async (scope) => bounceRoutes(scope, deps));
  await app.register(async (scope) => importRoutes(scope, deps));

  if (options.serveAdmin) await registerAdminStatic(app);

  return app;
}
