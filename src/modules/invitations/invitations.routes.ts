import { describe } from '../../platform/http/operation.ts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { requestLocale } from '../../platform/http/errors.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import {
  createSendSchema,
  listInvitationsSchema,
  listSendsSchema,
  previewSendSchema,
  sendParams,
  surveyParams,
} from './invitations.schemas.ts';
import { cancelSend, listInvitations, listSends } from './invitations.service.ts';
import { planSend, previewSend } from './send-planning.service.ts';
import { mailStatus } from '../mail-server/mail-server.service.ts';
import {
  invitationSchema,
  plannedSendSchema,
  sendPreviewSchema,
  sendSchema,
} from './invitations.presenter.ts';
import { pageSchema } from '../../shared/api-schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { Config } from '../../config.ts';

/**
 * What sending will do with the mail right now: leave through a server, stay in the local outbox,
 * or fail because the organisation's server cannot be used. The send button says which.
 */
async function deliveryOf(db: Executor, config: Config, organisationId: string) {
  const status = await mailStatus(db, config, organisationId);
  return {
    mode: status.problem ? 'unusable' : status.delivers ? 'smtp' : 'outbox',
    source: status.source,
  } as const;
}

/**
 * Sending a survey: preview who would be invited and why others are skipped, then plan the send
 * (now or in waves). Sending needs `surveys:send`; reading sends and invitations `surveys:read`.
 */
export async function invitationRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.post(
    '/api/v1/surveys/:id/sends/preview',
    describe({
      tag: 'sends',
      summary: 'Who would be invited, and why each other contact is skipped',
      status: 200,
      body: previewSendSchema,
      response: sendPreviewSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:send');
      const { id } = parseInput(surveyParams, request.params);
      const input = parseInput(previewSendSchema, request.body);
      const preview = await db
        .transaction()
        .execute((trx) => previewSend(trx, actor, id, input, deps.now(), requestLocale(request)));
      return { ...preview, delivery: await deliveryOf(db, deps.config, actor.organisationId) };
    },
  );

  app.post(
    '/api/v1/surveys/:id/sends',
    describe({
      tag: 'sends',
      summary: 'Send now or spread over a period in waves, under the contact rules',
      body: createSendSchema,
      response: plannedSendSchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'surveys:send');
      const { id } = parseInput(surveyParams, request.params);
      const input = parseInput(createSendSchema, request.body);
      const send = await db
        .transaction()
        .execute((trx) => planSend(trx, actor, id, input, deps.now(), deps.config));
      const delivery = await deliveryOf(db, deps.config, actor.organisationId);
      return reply.status(201).send({ ...send, delivery });
    },
  );

  app.get(
    '/api/v1/surveys/:id/sends',
    describe({
      tag: 'sends',
      summary: 'Sends of a survey',
      query: listSendsSchema,
      response: pageSchema(sendSchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:read');
      const { id } = parseInput(surveyParams, request.params);
      return listSends(db, actor, id, parseInput(listSendsSchema, request.query));
    },
  );

  app.post(
    '/api/v1/surveys/:id/sends/:sendId/cancel',
    describe({
      tag: 'sends',
      summary: 'Cancel the invitations of a send that are not sent yet',
      status: 200,
      response: sendSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:send');
      const { id, sendId } = parseInput(sendParams, request.params);
      return db.transaction().execute((trx) => cancelSend(trx, actor, id, sendId, deps.now()));
    },
  );

  app.get(
    '/api/v1/surveys/:id/invitations',
    describe({
      tag: 'sends',
      summary: 'Invitations of a survey with their delivery status',
      query: listInvitationsSchema,
      response: pageSchema(invitationSchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:read');
      const { id } = parseInput(surveyParams, request.params);
      return listInvitations(db, actor, id, parseInput(listInvitationsSchema, request.query));
    },
  );
}
