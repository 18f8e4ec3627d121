import { describe } from '../../platform/http/operation.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { parseInput } from '../../platform/http/validation.ts';
import * as repo from './auth.repository.ts';
import { sameOriginJsonOnly } from './same-origin.ts';
import { login } from './auth.service.ts';
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts';
import { deleteSession } from './auth.repository.ts';
import { localeResponseSchema, sessionStartedSchema } from './auth.schemas.ts';
import {
  myOrganisations,
  myOrganisationsSchema,
  switchedSchema,
  switchOrganisation,
  switchOrganisationSchema,
} from './organisation-switch.ts';
import { passwordAttemptAllowed } from './password-attempts.ts';

export const loginSchema = z.strictObject({
  // An empty field is named ("E-mailadres is verplicht"), not answered "wrong email or password".
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
});

export const meSchema = z.strictObject({ locale: z.enum(['nl', 'en']) });

export async function authRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  // Per address over every account: one address trying one password on many accounts (a spray)
  // stays under the per-account limit below. Checked before the body is read.
  const sameOrigin = sameOriginJsonOnly(deps.config.publicUrl);
  const perAddress = async (address: string): Promise<boolean> => {
    const { count } = await app.rateCounter.hit(
      `login-address|${address}`,
      15 * 60_000,
      Date.now(),
    );
    return count <= deps.config.LOGIN_ADDRESS_RATE_LIMIT;
  };

  app.post(
    '/api/v1/auth/login',
    describe(
      {
        tag: 'auth',
        summary: 'Log in (session cookie); rate-limited',
        status: 200,
        body: loginSchema,
        response: sessionStartedSchema,
        errors: ['invalid_credentials', 'rate_limited'],
        public: true,
      },
      {
        onRequest: [
          sameOrigin,
          async (request) => {
            if (!(await perAddress(request.ip))) throw new AppError('rate_limited');
          },
        ],
        config: {
          rateLimit: {
            max: deps.config.LOGIN_RATE_LIMIT,
            timeWindow: '5 minutes',
            // After body parsing, so the key can include the email address.
            hook: 'preHandler',
            // Per address and per account, so one attacker cannot lock out everyone behind one IP.
            keyGenerator: (req) => {
              const body = req.body as { email?: unknown } | undefined;
              const email =
                typeof body?.email === 'string'
                  ? body.email.trim().toLowerCase().slice(0, 254)
                  : '';
              return `${req.ip}|${email}`;
            },
          },
        },
      },
    ),
    async (request, reply) => {
      const input = parseInput(loginSchema, request.body);
      // The same count the invitation's accept keeps (password-attempts.ts).
      const attempt = { ip: request.ip, email: input.email, now: Date.now() };
      if (!(await passwordAttemptAllowed(app.rateCounter, deps.config.LOGIN_RATE_LIMIT, attempt)))
        throw new AppError('rate_limited');
      const session = await login(deps.db.kysely, {
        ...input,
        now: deps.now(),
        days: deps.config.SESSION_DAYS,
      });
      setSessionCookie(reply, session, deps.config);
      return { csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    describe({ tag: 'auth', summary: 'Log out', status: 204, public: true }),
    async (request, reply) => {
      if (request.actor?.sessionId) await deleteSession(deps.db.kysely, request.actor.sessionId);
      clearSessionCookie(reply, deps.config);
      return reply.status(204).send();
    },
  );

  app.patch(
    '/api/v1/auth/me',
    describe({
      tag: 'auth',
      summary: 'Change the current user’s language',
      body: meSchema,
      response: localeResponseSchema,
    }),
    async (request) => {
      const actor = request.actor;
      if (!actor || actor.kind !== 'user') throw new AppError('unauthenticated');
      const input = parseInput(meSchema, request.body);
      await repo.updateUserLocale(deps.db.kysely, actor.id, input.locale, deps.now());
      return { locale: input.locale };
    },
  );

  app.get(
    '/api/v1/auth/organisations',
    describe({
      tag: 'auth',
      summary: 'The organisations the logged-in user is a member of (the organisation switcher)',
      response: myOrganisationsSchema,
    }),
    async (request) => myOrganisations(deps.db.kysely, request.actor),
  );

  app.post(
    '/api/v1/auth/organisation',
    describe({
      tag: 'auth',
      summary:
        'Switch the session to another organisation the user is a member of; renews the CSRF token. API keys stay bound to their organisation (403)',
      body: switchOrganisationSchema,
      response: switchedSchema,
      status: 200,
    }),
    async (request) => {
      if (!request.actor) throw new AppError('unauthenticated');
      const input = parseInput(switchOrganisationSchema, request.body);
      return switchOrganisation(deps.db.kysely, request.actor, input.organisationId);
    },
  );
}
