import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { idParams, parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import {
  deliveryParams,
  deliverySchema,
  endpointBody,
  endpointPatch,
  endpointSchema,
  endpointWithSecretSchema,
} from './webhooks.schemas.ts';
import * as service from './webhooks.service.ts';

const TAG = 'webhooks';
const BASE = '/api/v1/webhook-endpoints';

export async function webhookRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.get(
    BASE,
    describe({
      tag: TAG,
      summary: 'Outgoing webhook endpoints',
      response: z.object({ items: z.array(endpointSchema) }),
    }),
    async (request) =>
      service.listEndpoints(db, authorize(request.actor, 'webhooks:manage'), deps.now()),
  );

  app.post(
    BASE,
    describe({
      tag: TAG,
      summary: 'Add an endpoint (the answer holds its signing secret, shown once)',
      description:
        'Deliveries are signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,…`). `format` `slack` or `teams` posts a Slack message or a Teams Adaptive Card instead. Loopback, private and link-local targets are refused unless the installation sets WEBHOOK_ALLOW_PRIVATE=true; cloud metadata services (169.254.0.0/16, fd00:ec2::254, …) always.',
      body: endpointBody,
      response: endpointWithSecretSchema,
      status: 201,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'webhooks:manage');
      const input = parseInput(endpointBody, request.body);
      const created = await service.createEndpoint(db, deps, actor, input, deps.now());
      return reply.status(201).send(created);
    },
  );

  app.get(
    `${BASE}/:id`,
    describe({ tag: TAG, summary: 'One endpoint (without its secret)', response: endpointSchema }),
    async (request) => {
      const actor = authorize(request.actor, 'webhooks:manage');
      return service.getEndpoint(db, actor, parseInput(idParams, request.params).id, deps.now());
    },
  );

  app.patch(
    `${BASE}/:id`,
    describe({
      tag: TAG,
      summary: 'Change an endpoint: URL, events, format, enabled',
      body: endpointPatch,
      response: endpointSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'webhooks:manage');
      const { id } = parseInput(idParams, request.params);
      const input = parseInput(endpointPatch, request.body);
      return service.updateEndpoint(db, deps, actor, id, input, deps.now());
    },
  );

  app.delete(
    `${BASE}/:id`,
    describe({ tag: TAG, summary: 'Remove an endpoint and its delivery log', status: 204 }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'webhooks:manage');
      await service.removeEndpoint(db, actor, parseInput(idParams, request.params).id);
      return reply.status(204).send();
    },
  );

  app.post(
    `${BASE}/:id/rotate-secret`,
    describe({
      tag: TAG,
      summary: 'Rotate the signing secret (the old one keeps signing for 24 hours)',
      status: 200,
      response: endpointWithSecretSchema.extend({ previousSecretValidUntil: z.string() }),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'webhooks:manage');
      return service.rotateSecret(
        db,
        deps,
        actor,
        parseInput(idParams, request.params).id,
        deps.now(),
      );
    },
  );

  app.post(
    `${BASE}/:id/test`,
    describe({
      tag: TAG,
      summary: 'Send a test event to this endpoint',
      response: deliverySchema,
      status: 202,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'webhooks:manage');
      const d = await service.sendTestEvent(
        db,
        actor,
        parseInput(idParams, request.params).id,
        deps.now(),
      );
      return reply.status(202).send(d);
    },
  );

  app.get(
    `${BASE}/:id/deliveries`,
    describe({
      tag: TAG,
      summary: 'Delivery log: the last 100 deliveries with every attempt’s status code and time',
      response: z.object({ items: z.array(deliverySchema) }),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'webhooks:manage');
      return service.listDeliveries(db, actor, parseInput(idParams, request.params).id);
    },
  );

  app.post(
    `${BASE}/:id/deliveries/:deliveryId/replay`,
    describe({
      tag: TAG,
      summary: 'Send one delivery again (same webhook-id)',
      response: deliverySchema,
      status: 202,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'webhooks:manage');
      const { id, deliveryId } = parseInput(deliveryParams, request.params);
      const d = await service.replayDelivery(db, actor, id, deliveryId, deps.now());
      return reply.status(202).send(d);
    },
  );
}
