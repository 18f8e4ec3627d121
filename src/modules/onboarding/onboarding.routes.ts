import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { authorize } from '../auth/policies.ts';
import { onboardingChecklist, onboardingSchema } from './onboarding.service.ts';

/** The first-run checklist of the owner's home. */
export async function onboardingRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/api/v1/onboarding',
    describe({
      tag: 'organisation',
      summary:
        'First-run checklist: customers, mail tested, first survey sent, answers — each read from the database',
      response: onboardingSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'surveys:read');
      return onboardingChecklist(deps.db.kysely, deps.config, actor);
    },
  );
}
