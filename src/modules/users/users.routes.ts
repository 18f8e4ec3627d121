import { describe } from '../../platform/http/operation.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { idParams, parseInput } from '../../platform/http/validation.ts';
import { createSession } from '../auth/auth.service.ts';
import { passwordAttemptAllowed } from '../auth/password-attempts.ts';
import { authorize } from '../auth/policies.ts';
import { sameOriginJsonOnly } from '../auth/same-origin.ts';
import { setSessionCookie } from '../auth/session-cookie.ts';
import * as repo from './users.repository.ts';
import * as service from './users.service.ts';
import { listSchema } from '../../shared/api-schemas.ts';
import { sessionStartedSchema } from '../auth/auth.schemas.ts';

const tokenParams = z.strictObject({ token: z.string().min(20).max(100) });

export async function userRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.get(
    '/api/v1/members',
    describe({
      tag: 'users',
      summary: 'Members of the organisation with their roles',
      response: listSchema(service.memberSchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'users:manage');
      return {
        items: (await repo.listMembers(db, actor.organisationId)).map(service.presentMember),
      };
    },
  );

  app.patch(
    '/api/v1/members/:id',
    describe({
      tag: 'users',
      summary: 'Change a member’s role or linked employee',
      body: service.updateMemberSchema,
      response: service.memberSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'users:manage');
      const { id } = parseInput(idParams, request.params);
      const input = parseInput(service.updateMemberSchema, request.body);
      return db
        .transaction()
        .execute((trx) => service.updateMember(trx, actor, id, input, deps.now()));
    },
  );

  app.delete(
    '/api/v1/members/:id',
    describe({ tag: 'users', summary: 'Remove a member (ends their sessions)', status: 204 }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'users:manage');
      const { id } = parseInput(idParams, request.params);
      await db.transaction().execute((trx) => service.removeMember(trx, actor, id, deps.now()));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/invites',
    describe({
      tag: 'users',
      summary: 'Open invitations of colleagues',
      response: listSchema(service.openInviteSchema),
    }),
    async (request): Promise<{ items: service.OpenInviteJson[] }> => {
      const actor = authorize(request.actor, 'users:manage');
      const rows = await service.openInvites(db, actor.organisationId, deps.now());
      return {
        items: rows.map((r) => ({
          id: r.id,
          email: r.email,
          role: r.role,
          employeeId: r.employee_id,
          expiresAt: new Date(r.expires_at).toISOString(),
        })),
      };
    },
  );

  app.post(
    '/api/v1/invites',
    describe({
      tag: 'users',
      summary: 'Invite a colleague with a role; returns the accept link',
      body: service.inviteSchema,
      response: service.createdInviteSchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'users:manage');
      const input = parseInput(service.inviteSchema, request.body);
      const invite = await db
        .transaction()
        .execute((trx) => service.inviteUser(trx, actor, input, deps.now()));
      const { token, ...rest } = invite;
      return reply
        .status(201)
        .send({ ...rest, acceptUrl: `${deps.config.publicUrl}/admin/invite/${token}` });
    },
  );

  app.post(
    '/api/v1/invites/:id/revoke',
    describe({ tag: 'users', summary: 'Revoke an open invitation', status: 204 }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'users:manage');
      const { id } = parseInput(idParams, request.params);
      if ((await repo.revokeInvite(db, actor.organisationId, id, deps.now())) === 0) {
        throw new AppError('not_found', { params: { entity: 'invite' } });
      }
      return reply.status(204).send();
    },
  );

  // Public: the invitee has no session yet. The token is the credential.
  app.get(
    '/api/v1/public/invites/:token',
    describe(
      {
        tag: 'users',
        summary: 'Describe an invitation (for the accept page)',
        public: true,
        response: service.publicInviteSchema,
        errors: ['invite_invalid'],
      },
      { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } },
    ),
    async (request) => {
      const { token } = parseInput(tokenParams, request.params);
      return service.describeInvite(db, token, deps.now());
    },
  );

  app.post(
    '/api/v1/public/invites/:token/accept',
    describe(
      {
        tag: 'users',
        summary: 'Accept an invitation and log in',
        body: service.acceptInviteSchema,
        response: sessionStartedSchema,
        errors: ['invite_invalid', 'invalid_credentials', 'rate_limited'],
        status: 201,
        public: true,
      },
      {
        onRequest: sameOriginJsonOnly(deps.config.publicUrl),
        config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      },
    ),
    async (request, reply) => {
      const { token } = parseInput(tokenParams, request.params);
      const input = parseInput(service.acceptInviteSchema, request.body);
      const now = deps.now();
      // Accepting as an existing user checks their password: counted with their logins.
      const email = await service.inviteEmail(db, token);
      if (
        email !== null &&
        !(await passwordAttemptAllowed(app.rateCounter, deps.config.LOGIN_RATE_LIMIT, {
          ip: request.ip,
          email,
          now: Date.now(),
        }))
      ) {
        throw new AppError('rate_limited');
      }
      const session = await db.transaction().execute(async (trx) => {
        const { userId, organisationId } = await service.acceptInvite(trx, token, input, now);
        return createSession(trx, { userId, organisationId, now, days: deps.config.SESSION_DAYS });
      });
      setSessionCookie(reply, session, deps.config);
      return reply.status(201).send({ csrfToken: session.csrfToken });
    },
  );
}
