import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { idParams, parseInput } from '../../platform/http/validation.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, type Action } from '../auth/policies.ts';

/**
 * The HTTP shape of a named record the organisation keeps a list of — employees, accounts,
 * locations: `GET <path>` (a list), `POST <path>` (201 with the record), optionally
 * `GET <path>/:id`, and `PATCH <path>/:id` (rename, change, archive or restore). Each route
 * authorises, validates, opens the transaction of a write and calls one service function; the
 * module keeps its schemas, its service and its summaries.
 */
export interface NamedRecordApi<List, Create, Update, Json> {
  path: `/api/v1/${string}`;
  tag: string;
  read: Action;
  write: Action;
  summaries: { list: string; create: string; get?: string; update: string };
  listQuery: z.ZodType<List>;
  listResponse: z.ZodType;
  createBody: z.ZodType<Create>;
  updateBody: z.ZodType<Update>;
  json: z.ZodType;
  list: (db: Executor, actor: Actor, input: List) => Promise<unknown>;
  create: (trx: Executor, actor: Actor, input: Create, now: number) => Promise<Json>;
  get?: (db: Executor, actor: Actor, id: string) => Promise<Json>;
  /** `deps`: for a change that emits an event in its transaction (an account's new manager). */
  update: (
    trx: Executor,
    actor: Actor,
    id: string,
    input: Update,
    now: number,
    deps: Deps,
  ) => Promise<Json>;
}

/** Registers the list, create, get and update routes of a named record. */
export function namedRecordRoutes<List, Create, Update, Json>(
  api: NamedRecordApi<List, Create, Update, Json>,
): (app: FastifyInstance, deps: Deps) => Promise<void> {
  return async (app, deps) => {
    const db = deps.db.kysely;
    const get = api.get;

    app.get(
      api.path,
      describe({
        tag: api.tag,
        summary: api.summaries.list,
        query: api.listQuery,
        response: api.listResponse,
      }),
      async (request) => {
        const actor = authorize(request.actor, api.read);
        return api.list(db, actor, parseInput(api.listQuery, request.query));
      },
    );

    app.post(
      api.path,
      describe({
        tag: api.tag,
        summary: api.summaries.create,
        body: api.createBody,
        response: api.json,
      }),
      async (request, reply) => {
        const actor = authorize(request.actor, api.write);
        const input = parseInput(api.createBody, request.body);
        const created = await db
          .transaction()
          .execute((trx) => api.create(trx, actor, input, deps.now()));
        return reply.status(201).send(created);
      },
    );

    if (get && api.summaries.get) {
      app.get(
        `${api.path}/:id`,
        describe({ tag: api.tag, summary: api.summaries.get, response: api.json }),
        async (request) => {
          const actor = authorize(request.actor, api.read);
          return get(db, actor, parseInput(idParams, request.params).id);
        },
      );
    }

    app.patch(
      `${api.path}/:id`,
      describe({
        tag: api.tag,
        summary: api.summaries.update,
        body: api.updateBody,
        response: api.json,
      }),
      async (request) => {
        const actor = authorize(request.actor, api.write);
        const { id } = parseInput(idParams, request.params);
        const input = parseInput(api.updateBody, request.body);
        return db
          .transaction()
          .execute((trx) => api.update(trx, actor, id, input, deps.now(), deps));
      },
    );
  };
}
