import { describe } from '../../platform/http/operation.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { pageRequest, toPage } from '../../shared/cursor.ts';
import { parseInput, totalParam } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import { listAudit } from './audit.repository.ts';
import { pageSchema, timestamp } from '../../shared/api-schemas.ts';

/** One entry of the audit log: who (a user, an API key or the system) did what to which record. */
export const auditEntrySchema = z.object({
  id: z.string(),
  actorType: z.enum(['user', 'api_key', 'system']),
  actorId: z.string().nullable(),
  action: z.string().describe('What happened, e.g. `contact.erased`'),
  entityType: z.string(),
  entityId: z.string().nullable(),
  data: z.unknown().describe('Details of the action (never personal data)'),
  at: timestamp,
});
export type AuditEntryJson = z.output<typeof auditEntrySchema>;

export const listAuditSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  total: totalParam,
});

function parseData(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return {};
  }
}

export async function auditRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  /** Who did what, newest first: the audit log of the organisation (owners and admins). */
  app.get(
    '/api/v1/audit',
    describe({
      tag: 'audit',
      summary: 'Audit log: who did what, newest first',
      query: listAuditSchema,
      response: pageSchema(auditEntrySchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'audit:read');
      const input = parseInput(listAuditSchema, request.query);
      const listed = await listAudit(deps.db.kysely, actor.organisationId, pageRequest(input));
      return toPage(listed, input.limit, (r): AuditEntryJson => ({
        id: r.id,
        actorType: r.actor_type,
        actorId: r.actor_id,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        data: parseData(r.data),
        at: new Date(r.created_at).toISOString(),
      }));
    },
  );
}
