import { pageSchema } from '../../shared/api-schemas.ts';
import { describe } from '../../platform/http/operation.ts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { idParams, parseInput } from '../../shared/validation.ts';
import { authorize } from '../auth/policies.ts';
import * as service from './accounts.service.ts';

export async function accountRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.get(
    '/api/v1/accounts',
    describe({
      tag: 'accounts',
      summary: 'Client companies, searchable',
      query: service.listAccountsSchema,
      response: pageSchema(service.accountJsonSchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'accounts:read');
      return service.listAccounts(db, actor, parseInput(service.listAccountsSchema, request.query));
    },
  );

  app.post(
    '/api/v1/accounts',
    describe({
      tag: 'accounts',
      summary: 'Add a client company',
      body: service.accountSchema,
      response: service.accountJsonSchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'accounts:write');
      const input = parseInput(service.accountSchema, request.body);
      const account = await db
        .transaction()
        .execute((trx) => service.createAccount(trx, actor, input, deps.now()));
      return reply.status(201).send(account);
    },
  );

  app.get(
    '/api/v1/accounts/:id',
    describe({
      tag: 'accounts',
      summary: 'One client company',
      response: service.accountJsonSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'accounts:read');
      return service.getAccount(db, actor, parseInput(idParams, request.params).id);
    },
  );

  app.patch(
    '/api/v1/accounts/:id',
    describe({
      tag: 'accounts',
      summary: 'Change a client company',
      body: service.updateAccountSchema,
      response: service.accountJsonSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'accounts:write');
      const { id } = parseInput(idParams, request.params);
      const input = parseInput(service.updateAccountSchema, request.body);
      return db
        .transaction()
        .execute((trx) => service.updateAccount(trx, actor, id, input, deps.now()));
    },
  );
}
