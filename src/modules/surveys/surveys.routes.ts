import { describe } from '../../platform/http/operation.ts';
import { pageSchema } from '../../shared/api-schemas.ts';
import { surveySchema } from './surveys.presenter.ts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import {
  createSurveySchema,
  idempotencyHeadersSchema,
  listSurveysSchema,
  surveyIdParams,
  updateSurveySchema,
} from './surveys.schemas.ts';
import * as service from './surveys.service.ts';

/** Survey CRUD for the admin app and the API: `surveys:read` to look, `surveys:write` to change. */
export async function surveyRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.get(
    '/api/v1/surveys',
    describe({
      tag: 'surveys',
      summary: 'NPS surveys',
      query: listSurveysSchema,
      response: pageSchema(surveySchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:read');
      return service.listSurveys(db, actor, parseInput(listSurveysSchema, request.query));
    },
  );

  app.post(
    '/api/v1/surveys',
    describe({
      tag: 'surveys',
      summary: 'Create an NPS survey with Dutch and English default texts',
      description:
        'Send an `Idempotency-Key` header (8–200 visible characters) to make a repeated request return the survey the first one created (201, the same answer again) instead of a second one.',
      body: createSurveySchema,
      response: surveySchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'surveys:write');
      const input = parseInput(createSurveySchema, request.body);
      const creationKey = parseInput(idempotencyHeadersSchema, request.headers)['idempotency-key'];
      try {
        const { survey } = await db
          .transaction()
          .execute((trx) =>
            service.createSurveyOnce(trx, actor, input, deps.now(), { creationKey }),
          );
        // A repeated request gets the first one's answer again: the same status, the same survey.
        return reply.status(201).send(survey);
      } catch (err) {
        // Two requests with one key at the same moment: the unique index let one in.
        const winner = creationKey
          ? await service.surveyByCreationKey(db, actor.organisationId, creationKey)
          : null;
        if (winner) return reply.status(201).send(winner);
        throw err;
      }
    },
  );

  app.get(
    '/api/v1/surveys/:id',
    describe({
      tag: 'surveys',
      summary: 'One survey with its effective texts',
      response: surveySchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:read');
      const { id } = parseInput(surveyIdParams, request.params);
      return service.getSurvey(db, actor, id);
    },
  );

  app.patch(
    '/api/v1/surveys/:id',
    describe({
      tag: 'surveys',
      summary: 'Change texts, options or status of a survey',
      body: updateSurveySchema,
      response: surveySchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:write');
      const { id } = parseInput(surveyIdParams, request.params);
      const input = parseInput(updateSurveySchema, request.body);
      return db
        .transaction()
        .execute((trx) => service.updateSurvey(trx, actor, id, input, deps.now()));
    },
  );
}
