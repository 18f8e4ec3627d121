import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isDeadlock } from '../../db/dialect.ts';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { iso } from '../../shared/time.ts';
import { idParams, parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { lastRetentionRun } from './retention.service.ts';
import { eraseContact, exportContact } from './privacy.service.ts';

export const retentionStatusSchema = z.object({
  retentionMonths: z.number().int(),
  lastRun: z
    .object({
      at: z.string(),
      cutoff: z.string().nullable(),
      anonymisedResponses: z.number().int(),
      deletedEmailBodies: z.number().int(),
      anonymisedEmails: z.number().int(),
      deletedLinkTokens: z.number().int(),
    })
    .nullable(),
});

export type RetentionStatus = z.infer<typeof retentionStatusSchema>;

export async function privacyRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.get(
    '/api/v1/privacy/retention',
    describe({
      tag: 'privacy',
      summary: 'The retention period and what the last daily clean-up anonymised or deleted',
      response: retentionStatusSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'organisation:manage');
      const organisation = await findOrganisation(db, actor.organisationId);
      const last = await lastRetentionRun(deps, actor.organisationId);
      return retentionStatusSchema.parse({
        retentionMonths: parseSettings(organisation?.settings ?? '{}').retentionMonths,
        lastRun: last ? { ...last, at: iso(last.at) } : null,
      });
    },
  );

  app.get(
    '/api/v1/contacts/:id/export',
    describe({
      tag: 'privacy',
      summary: 'Everything held about a contact, as JSON (AVG/GDPR)',
      response: z
        .record(z.string(), z.unknown())
        .describe('Each module’s personal data about the contact, by the name of its holder'),
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'contacts:export');
      const { id } = parseInput(idParams, request.params);
      const data = await db.transaction().execute((trx) => exportContact(trx, deps, actor, id));
      void reply.header('content-disposition', `attachment; filename="contact-${id}.json"`);
      return data;
    },
  );

  app.post(
    '/api/v1/contacts/:id/erase',
    describe({
      tag: 'privacy',
      summary: 'Erase a contact’s personal data; aggregates stay',
      status: 204,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'contacts:erase');
      const { id } = parseInput(idParams, request.params);
      const erase = () => db.transaction().execute((trx) => eraseContact(trx, deps, actor, id));
      // A person editing an answer during their own erasure can meet it in a deadlock
      // (ARCHITECTURE.md, lock order); PostgreSQL keeps nothing of the aborted one: once more.
      await erase().catch((error: unknown) => {
        if (isDeadlock(error)) return erase();
        throw error;
      });
      return reply.status(204).send();
    },
  );
}
