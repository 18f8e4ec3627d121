import { describe } from '../../platform/http/operation.ts';
import { pageSchema } from '../../shared/api-schemas.ts';
import { mailTestResultSchema } from '../mail-server/mail-server.schemas.ts';
import { surveyPreviewSchema, surveySchema } from './surveys.presenter.ts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { parseInput } from '../../shared/validation.ts';
import { authorize } from '../auth/policies.ts';
import {
  createSurveySchema,
  idempotencyHeadersSchema,
  previewSurveySchema,
  surveyTestMailSchema,
  listSurveysSchema,
  surveyIdParams,
  updateSurveySchema,
} from './surveys.schemas.ts';
import * as service from './surveys.service.ts';
import { previewSurvey, surveyTestMail } from './survey-preview.service.ts';
import { requestLocale } from '../../platform/http/errors.ts';
import { sendMailToMe } from '../mail-server/mail-server.service.ts';

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

  app.post(
    '/api/v1/surveys/:id/preview',
    describe({
      tag: 'surveys',
      summary:
        'Render the email, the response page or the thank-you page with unsaved texts (nothing is stored; links lead nowhere)',
      body: previewSurveySchema,
      status: 200,
      response: surveyPreviewSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:read');
      const { id } = parseInput(surveyIdParams, request.params);
      const input = parseInput(previewSurveySchema, request.body);
      return previewSurvey(db, deps.config, actor, id, input);
    },
  );

  app.post(
    '/api/v1/surveys/:id/test-mail',
    describe(
      {
        tag: 'surveys',
        summary:
          "Send the survey's email (with unsaved texts) to the logged-in user and report the mail server's answer",
        body: surveyTestMailSchema,
        status: 200,
        response: mailTestResultSchema,
      },
      { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    ),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:write');
      const { id } = parseInput(surveyIdParams, request.params);
      const input = parseInput(surveyTestMailSchema, request.body);
      const mail = await surveyTestMail(db, deps.config, actor, id, input);
      return sendMailToMe(db, deps, actor, requestLocale(request), () => mail);
    },
  );
}
