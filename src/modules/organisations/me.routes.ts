import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { AppError } from '../../shared/errors.ts';
import { findUserSummary } from '../auth/auth.repository.ts';
import { meResponseSchema, type MeJson } from './me.schemas.ts';
import { presentOrganisation } from './organisations.presenter.ts';
import { getOrganisation } from './organisations.service.ts';

/**
 * `GET /api/v1/auth/me`, the admin app's first call: the session's user and role (auth) with its
 * organisation (this module). Served here, above auth, so auth needs no organisation.
 */
export async function meRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  /** Who am I: the admin app's first call. Returns the CSRF token to send with every change. */
  app.get(
    '/api/v1/auth/me',
    describe({
      tag: 'auth',
      summary: 'The current user, role, organisation and CSRF token',
      response: meResponseSchema,
    }),
    async (request): Promise<MeJson> => {
      const actor = request.actor;
      if (!actor) throw new AppError('unauthenticated');
      const org = await getOrganisation(deps.db.kysely, actor);
      if (actor.kind === 'api_key') {
        return {
          user: null,
          role: actor.role,
          organisation: presentOrganisation(org),
          csrfToken: null,
        };
      }
      const user = await findUserSummary(deps.db.kysely, actor.id, actor.organisationId);
      if (!user) throw new AppError('unauthenticated');
      return {
        user: { id: user.id, email: user.email, name: user.name, locale: user.locale },
        role: user.role,
        employeeId: user.employee_id,
        organisation: presentOrganisation(org),
        csrfToken: actor.csrfToken ?? null,
      };
    },
  );
}
