import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { dashboardRead } from '../../platform/http/read-replica.ts';
import { AppError, forbidden } from '../../shared/errors.ts';
import type { Actor } from '../auth/actor.ts';
import { listMembershipsOfUser } from '../auth/auth.repository.ts';
import { npsJsonSchema } from './analytics.schemas.ts';
import { defaultPeriodNps } from './insight.service.ts';

/**
 * The cross-organisation overview for a person who owns several organisations (a franchise
 * owner, an accountancy network): each organisation's NPS over the last 90 days with its interval
 * and n, side by side. There is no query over several organisations: each figure is read by that
 * organisation's own scoped read (`defaultPeriodNps`) with an actor of that organisation, built
 * from the person's OWN owner membership there — so an organisation where they are not owner (or
 * not a member) is never read.
 */

export const acrossOrganisationsSchema = z.object({
  period: z.object({ from: z.string(), to: z.string() }).nullable(),
  items: z.array(
    z.object({
      organisation: z.object({ id: z.string(), name: z.string() }),
      active: z.boolean(),
      nps: npsJsonSchema,
    }),
  ),
});

export async function acrossOrganisations(
  db: Executor,
  actor: Actor | null,
  now: number,
): Promise<z.output<typeof acrossOrganisationsSchema>> {
  if (!actor) throw new AppError('unauthenticated');
  // A key belongs to one organisation; the overview is a person's.
  if (actor.kind !== 'user') throw forbidden();
  const owned = (await listMembershipsOfUser(db, actor.id)).filter((m) => m.role === 'owner');
  let period: { from: string; to: string } | null = null;
  const items: z.output<typeof acrossOrganisationsSchema>['items'] = [];
  for (const m of owned) {
    const scoped: Actor = {
      kind: 'user',
      id: actor.id,
      organisationId: m.organisation_id,
      role: m.role,
      employeeId: m.employee_id,
      locale: actor.locale,
    };
    const figure = await defaultPeriodNps(db, scoped, now);
    period = figure.period;
    items.push({
      organisation: { id: m.organisation_id, name: m.name },
      active: m.organisation_id === actor.organisationId,
      nps: figure.nps,
    });
  }
  return { period, items };
}

export async function acrossOrganisationsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/api/v1/results/organisations',
    describe({
      tag: 'results',
      summary:
        'For a person who owns several organisations: each owned organisation’s NPS over the last 90 days with its interval and n, side by side (API keys: 403)',
      response: acrossOrganisationsSchema,
    }),
    async (request, reply) => {
      const actor = request.actor;
      if (!actor) throw new AppError('unauthenticated');
      return dashboardRead(deps, request, reply, (db) =>
        acrossOrganisations(db, actor, deps.now()),
      );
    },
  );
}
