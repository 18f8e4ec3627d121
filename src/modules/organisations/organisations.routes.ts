import { describe } from '../../platform/http/operation.ts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import { createSession } from '../auth/auth.service.ts';
import { sameOriginJsonOnly } from '../auth/same-origin.ts';
import { setSessionCookie } from '../auth/session-cookie.ts';
import { organisationSchema, presentOrganisation } from './organisations.presenter.ts';
import { sessionStartedSchema } from '../auth/auth.schemas.ts';
import { z } from 'zod';
import { countOrganisations } from './organisations.repository.ts';
import { setupSchema, updateOrganisationSchema } from './organisations.schemas.ts';
import {
  getOrganisation,
  setupFirstOrganisation,
  updateOrganisation,
} from './organisations.service.ts';

export async function organisationRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.get(
    '/api/v1/setup',
    describe({
      tag: 'setup',
      summary: 'Whether this installation still needs its first organisation',
      public: true,
      response: z.object({ needsSetup: z.boolean() }),
    }),
    async () => ({ needsSetup: (await countOrganisations(db)) === 0 }),
  );

  /** First visit: creates the organisation and its owner, and logs the owner in. */
  app.post(
    '/api/v1/setup',
    describe(
      {
        tag: 'setup',
        summary: 'Create the first organisation and its owner, and log in',
        body: setupSchema,
        response: sessionStartedSchema,
        status: 201,
        public: true,
      },
      {
        onRequest: sameOriginJsonOnly(deps.config.publicUrl),
        config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      },
    ),
    async (request, reply) => {
      const input = parseInput(setupSchema, request.body);
      const now = deps.now();
      const session = await db.transaction().execute(async (trx) => {
        const { organisationId, userId } = await setupFirstOrganisation(trx, input, now);
        return createSession(trx, { userId, organisationId, now, days: deps.config.SESSION_DAYS });
      });
      setSessionCookie(reply, session, deps.config);
      return reply.status(201).send({ csrfToken: session.csrfToken });
    },
  );

  app.get(
    '/api/v1/organisation',
    describe({
      tag: 'organisation',
      summary: 'The organisation and its settings',
      response: organisationSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:read');
      return presentOrganisation(await getOrganisation(db, actor));
    },
  );

  app.patch(
    '/api/v1/organisation',
    describe({
      tag: 'organisation',
      summary: 'Change name, language or settings (owner)',
      body: updateOrganisationSchema,
      response: organisationSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'organisation:manage');
      const input = parseInput(updateOrganisationSchema, request.body);
      const org = await db
        .transaction()
        .execute((trx) => updateOrganisation(trx, actor, input, deps.now()));
      return presentOrganisation(org);
    },
  );
}
