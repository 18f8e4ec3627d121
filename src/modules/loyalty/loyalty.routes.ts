import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { parseInput } from '../../shared/validation.ts';
import { authorize } from '../auth/policies.ts';
import { loyaltyQuerySchema } from './loyalty.schemas.ts';
import { loyaltyReport } from './loyalty.service.ts';

export async function loyaltyRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/api/v1/loyalty',
    describe({
      tag: 'loyalty',
      summary: 'Does NPS predict return here? Return per NPS category, the model, earned growth',
      description:
        'Kaplan–Meier time to next visit per category (Greenwood intervals), shares back within 6 and 12 months, revenue per customer, a logistic model of return within `windowDays` on the 0–10 score with its AUC (DeLong) against prior visit frequency, per segment with enough data, and revenue from returning customers per month.',
      query: loyaltyQuerySchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'responses:read');
      const { windowDays } = parseInput(loyaltyQuerySchema, request.query);
      return loyaltyReport(deps.db.kysely, actor.organisationId, deps.now(), windowDays);
    },
  );
}
