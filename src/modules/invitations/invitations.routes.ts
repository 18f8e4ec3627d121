import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../server/deps.ts';
import { requestLocale } from '../../server/errors.ts';
import { parseInput } from '../../shared/validation.ts';
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

/**
 * Sending a survey: preview who would be invited and why others are skipped, then plan the send
 * (now or in waves). Sending needs `surveys:send`; reading sends and invitations `surveys:read`.
 */
export async function invitationRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.post('/api/v1/surveys/:id/sends/preview', async (request) => {
    const actor = authorize(request.actor, 'surveys:send');
    const { id } = parseInput(surveyParams, request.params);
    const input = parseInput(previewSendSchema, request.body);
    return db
      .transaction()
      .execute((trx) => previewSend(trx, actor, id, input, deps.now(), requestLocale(request)));
  });

  app.post('/api/v1/surveys/:id/sends', async (request, reply) => {
    const actor = authorize(request.actor, 'surveys:send');
    const { id } = parseInput(surveyParams, request.params);
    const input = parseInput(createSendSchema, request.body);
    const send = await db
      .transaction()
      .execute((trx) => planSend(trx, actor, id, input, deps.now(), deps.config));
    return reply.status(201).send(send);
  });

  app.get('/api/v1/surveys/:id/sends', async (request) => {
    const actor = authorize(request.actor, 'surveys:read');
    const { id } = parseInput(surveyParams, request.params);
    return listSends(db, actor, id, parseInput(listSendsSchema, request.query));
  });

  app.post('/api/v1/surveys/:id/sends/:sendId/cancel', async (request) => {
    const actor = authorize(request.actor, 'surveys:send');
    const { id, sendId } = parseInput(sendParams, request.params);
    return db.transaction().execute((trx) => cancelSend(trx, actor, id, sendId, deps.now()));
  });

  app.get('/api/v1/surveys/:id/invitations', async (request) => {
    const actor = authorize(request.actor, 'surveys:read');
    const { id } = parseInput(surveyParams, request.params);
    return listInvitations(db, actor, id, parseInput(listInvitationsSchema, request.query));
  });
}
