import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { iso } from '../../shared/time.ts';
import { authorize } from '../auth/policies.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { lastRetentionRun } from './retention.service.ts';

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
  app.get(
    '/api/v1/privacy/retention',
    describe({
      tag: 'privacy',
      summary: 'The retention period and what the last daily clean-up anonymised or deleted',
      response: retentionStatusSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'organisation:manage');
      const organisation = await findOrganisation(deps.db.kysely, actor.organisationId);
      const last = await lastRetentionRun(deps, actor.organisationId);
      return retentionStatusSchema.parse({
        retentionMonths: parseSettings(organisation?.settings ?? '{}').retentionMonths,
        lastRun: last ? { ...last, at: iso(last.at) } : null,
      });
    },
  );
}
