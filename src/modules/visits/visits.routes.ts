import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { invalid, type FieldIssue } from '../../shared/errors.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import { requestLocale } from '../../platform/http/errors.ts';
import * as repo from './visits.repository.ts';
import {
  batchRecordedJson,
  contactVisitsJson,
  contactVisitsParams,
  idempotencyKeySchema,
  visitBatchSchema,
  visitInputSchema,
  visitRecordedJson,
  visitTriggerJson,
  visitTriggerSchema,
  type VisitRecordedJson,
} from './visits.schemas.ts';
import * as service from './visits.service.ts';

const IDEMPOTENCY =
  'Idempotent by `externalId` (the workshop or webshop number): posting a visit again updates it — a corrected amount, a cancellation. An `Idempotency-Key` header (8–200 visible characters) returns the first answer again for a repeated request.';

export async function visitRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  /** Runs a write once per Idempotency-Key: a repeat gets the stored answer. */
  async function once(
    organisationId: string,
    headers: unknown,
    run: (trx: typeof db) => Promise<{ status: number; body: unknown }>,
  ): Promise<{ status: number; body: unknown }> {
    const key = parseInput(idempotencyKeySchema, headers)['idempotency-key'];
    if (key) {
      const stored = await repo.findRequestKey(db, organisationId, key);
      if (stored)
        return { status: stored.status_code, body: JSON.parse(stored.response) as unknown };
    }
    try {
      return await db.transaction().execute(async (trx) => {
        const result = await run(trx);
        if (key) {
          await repo.saveRequestKey(
            trx,
            organisationId,
            key,
            result.status,
            JSON.stringify(result.body),
            deps.now(),
          );
        }
        return result;
      });
    } catch (err) {
      const winner = key ? await repo.findRequestKey(db, organisationId, key) : undefined;
      if (winner)
        return { status: winner.status_code, body: JSON.parse(winner.response) as unknown };
      throw err;
    }
  }

  app.post(
    '/api/v1/visits',
    describe({
      tag: 'visits',
      summary: 'Record a visit or purchase (a workshop job, an order, an invoice, a refund)',
      description: `Answers 201 for a new visit and 200 for an update of the visit with the same external id; \`created\` says the same. ${IDEMPOTENCY}`,
      alsoStatus: 200,
      body: visitInputSchema,
      response: visitRecordedJson,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'contacts:import');
      const input = parseInput(visitInputSchema, request.body);
      const now = deps.now();
      const parsed = service.fromApiInput(input, '', now);
      if (!parsed.ok) throw invalid(parsed.issues);
      const result = await once(actor.organisationId, request.headers, async (trx) => {
        const outcome = await service.recordVisits(
          trx,
          deps,
          actor.organisationId,
          [parsed.visit],
          'api',
          now,
          (_, f) => f,
        );
        const visit = outcome.visits[0];
        if (!visit) throw new Error('a recorded visit has no outcome');
        const body: VisitRecordedJson = { id: visit.id, created: visit.created };
        return { status: visit.created ? 201 : 200, body };
      });
      return reply.status(result.status).send(result.body);
    },
  );

  app.post(
    '/api/v1/visits/batch',
    describe({
      tag: 'visits',
      summary: 'Record up to 1,000 visits at once — all or nothing',
      status: 200,
      description: `Every visit is checked first; if any is invalid (an unknown or erased customer, a negative amount that is not a refund, a date in the future) nothing is stored and every problem is listed by position. ${IDEMPOTENCY}`,
      body: visitBatchSchema,
      response: batchRecordedJson,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'contacts:import');
      const input = parseInput(visitBatchSchema, request.body);
      const now = deps.now();
      const visits: service.NewVisit[] = [];
      const issues: FieldIssue[] = [];
      for (const [i, v] of input.visits.entries()) {
        const parsed = service.fromApiInput(v, `visits.${i}.`, now);
        if (parsed.ok) visits.push(parsed.visit);
        else issues.push(...parsed.issues);
      }
      if (issues.length) throw invalid(issues);
      const result = await once(actor.organisationId, request.headers, async (trx) => ({
        status: 200,
        body: await service.recordVisits(trx, deps, actor.organisationId, visits, 'api', now),
      }));
      return reply.status(result.status).send(result.body);
    },
  );

  app.get(
    '/api/v1/contacts/:id/visits',
    describe({
      tag: 'visits',
      summary:
        "A contact's visits, first and last visit, revenue, typical interval and 'due for return'",
      response: contactVisitsJson,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:read');
      const { id } = parseInput(contactVisitsParams, request.params);
      return service.contactVisits(db, actor, id, deps.now(), requestLocale(request));
    },
  );

  app.get(
    '/api/v1/visit-trigger',
    describe({
      tag: 'visits',
      summary: 'The survey sent N days after a visit of chosen kinds',
      response: visitTriggerJson,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:read');
      return service.getTrigger(db, actor.organisationId);
    },
  );

  app.put(
    '/api/v1/visit-trigger',
    describe({
      tag: 'visits',
      summary: 'Invite N days after a visit of kind X (within the contact-frequency rules)',
      body: visitTriggerSchema,
      response: visitTriggerJson,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:send');
      const input = parseInput(visitTriggerSchema, request.body);
      return db
        .transaction()
        .execute((trx) => service.saveTrigger(trx, actor.organisationId, input, deps.now()));
    },
  );
}
