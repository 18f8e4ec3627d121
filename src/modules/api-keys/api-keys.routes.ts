import { describe } from '../../platform/http/operation.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { idParams, parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import * as repo from './api-keys.repository.ts';
import {
  apiKeySchema,
  createApiKey,
  createdApiKeySchema,
  presentApiKey,
  revokeApiKey,
} from './api-keys.service.ts';
import { listSchema } from '../../shared/api-schemas.ts';

export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(['admin', 'manager', 'viewer']).default('admin'),
});

export async function apiKeyRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.get(
    '/api/v1/api-keys',
    describe({
      tag: 'api-keys',
      summary: 'API keys (never their secrets)',
      response: listSchema(apiKeySchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'api_keys:manage');
      return { items: (await repo.listApiKeys(db, actor.organisationId)).map(presentApiKey) };
    },
  );

  app.post(
    '/api/v1/api-keys',
    describe({
      tag: 'api-keys',
      summary: 'Create an API key; the secret is shown once',
      body: createApiKeySchema,
      response: createdApiKeySchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'api_keys:manage');
      const input = parseInput(createApiKeySchema, request.body);
      const key = await db
        .transaction()
        .execute((trx) => createApiKey(trx, actor, input, deps.now()));
      return reply.status(201).send(key);
    },
  );

  app.post(
    '/api/v1/api-keys/:id/revoke',
    describe({ tag: 'api-keys', summary: 'Revoke an API key', status: 204 }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'api_keys:manage');
      const { id } = parseInput(idParams, request.params);
      await db.transaction().execute((trx) => revokeApiKey(trx, actor, id, deps.now()));
      return reply.status(204).send();
    },
  );
}
