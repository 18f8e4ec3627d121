import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { AppError, forbidden, notFound } from '../../shared/errors.ts';
import { newToken } from '../../shared/ids.ts';
import type { Actor } from './actor.ts';
import * as repo from './auth.repository.ts';
import { roleSchema } from './auth.schemas.ts';

/**
 * Several organisations per person (a franchise owner, an accountancy network, an agency): the
 * session carries the ACTIVE organisation, and every staff route reads only that one through
 * `actor.organisationId`. Switching moves the session to another organisation the user is a member
 * of; the role is that membership's role. API keys are bound to the one organisation they were
 * made in and cannot switch.
 */

export const switchOrganisationSchema = z.strictObject({ organisationId: z.uuid() });

export const myOrganisationsSchema = z.object({
  items: z.array(
    z.object({ id: z.string(), name: z.string(), role: roleSchema, active: z.boolean() }),
  ),
});

export const switchedSchema = z.object({
  organisation: z.object({ id: z.string(), name: z.string() }),
  role: roleSchema,
  csrfToken: z.string(),
});

function userActor(actor: Actor | null): Actor & { kind: 'user'; sessionId: string } {
  if (!actor) throw new AppError('unauthenticated');
  if (actor.kind !== 'user' || !actor.sessionId) throw forbidden();
  return actor as Actor & { kind: 'user'; sessionId: string };
}

/** The organisations the logged-in user is a member of: the switcher's list. */
export async function myOrganisations(
  db: Executor,
  actor: Actor | null,
): Promise<z.output<typeof myOrganisationsSchema>> {
  const user = userActor(actor);
  const rows = await repo.listMembershipsOfUser(db, user.id);
  return {
    items: rows.map((r) => ({
      id: r.organisation_id,
      name: r.name,
      role: r.role,
      active: r.organisation_id === user.organisationId,
    })),
  };
}

/**
 * Makes another organisation the session's active one. An organisation the user is not a member
 * of does not exist for them (404, the same answer as an id nobody has). The CSRF token is
 * renewed, so a change still in flight from a tab that shows the old organisation is refused
 * instead of landing in the new one.
 */
export async function switchOrganisation(
  db: Executor,
  actor: Actor | null,
  organisationId: string,
): Promise<z.output<typeof switchedSchema>> {
  const user = userActor(actor);
  const rows = await repo.listMembershipsOfUser(db, user.id);
  const target = rows.find((r) => r.organisation_id === organisationId);
  if (!target) throw notFound('organisation');
  const csrfToken = newToken();
  await repo.switchSessionOrganisation(db, {
    sessionId: user.sessionId,
    organisationId: target.organisation_id,
    csrfToken,
  });
  return {
    organisation: { id: target.organisation_id, name: target.name },
    role: target.role,
    csrfToken,
  };
}
