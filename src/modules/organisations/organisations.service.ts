import type { Executor } from '../../db/database.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { Actor } from '../auth/actor.ts';
import { hashPassword } from '../auth/passwords.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { parseSettings, settingsSchema } from './organisation-settings.ts';
import * as repo from './organisations.repository.ts';
import type { SetupInput, UpdateOrganisationInput } from './organisations.schemas.ts';

/** Creates an organisation and its owner account. Used by first-visit setup and by the CLI. */
export async function createOrganisationWithOwner(
  db: Executor,
  input: SetupInput,
  now: number,
): Promise<{ organisationId: string; userId: string }> {
  if (await repo.findUserByEmail(db, input.email)) {
    throw new AppError('email_taken', { issues: [{ field: 'email', problem: 'taken' }] });
  }
  const organisationId = newId();
  const userId = newId();
  await repo.insertOrganisation(db, {
    id: organisationId,
    name: input.organisationName,
    locale: input.locale,
    settings: JSON.stringify(settingsSchema.parse({})),
    now,
  });
  await repo.insertUser(db, {
    id: userId,
    email: input.email,
    name: input.name,
    password_hash: await hashPassword(input.password),
    locale: input.locale,
    now,
  });
  await repo.insertMembership(db, {
    id: newId(),
    organisation_id: organisationId,
    user_id: userId,
    role: 'owner',
    employee_id: null,
    now,
  });
  await recordAudit(
    db,
    { kind: 'system', organisationId },
    { action: 'organisation.created', entityType: 'organisation', entityId: organisationId },
    now,
  );
  return { organisationId, userId };
}

/**
 * First-visit setup is open only while the installation has no organisation at all. On PostgreSQL
 * two first visits at once would both count none (READ COMMITTED) and both create one: the count
 * and the insert run under a transaction-scoped lock (SQLite has one writer already).
 */
export async function setupFirstOrganisation(db: Executor, input: SetupInput, now: number) {
  await repo.lockFirstSetup(db);
  if ((await repo.countOrganisations(db)) > 0) throw new AppError('already_set_up');
  return createOrganisationWithOwner(db, input, now);
}

export async function getOrganisation(db: Executor, actor: Actor) {
  const org = await repo.findOrganisation(db, actor.organisationId);
  if (!org) throw notFound('organisation');
  return { ...org, settings: parseSettings(org.settings) };
}

export async function updateOrganisation(
  db: Executor,
  actor: Actor,
  input: UpdateOrganisationInput,
  now: number,
) {
  const current = await getOrganisation(db, actor);
  const settings = input.settings ? { ...current.settings, ...input.settings } : undefined;
  await repo.updateOrganisation(
    db,
    actor.organisationId,
    {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.locale !== undefined ? { locale: input.locale } : {}),
      ...(settings ? { settings: JSON.stringify(settings) } : {}),
    },
    now,
  );
  await recordAudit(
    db,
    actor,
    {
      action: 'organisation.updated',
      entityType: 'organisation',
      entityId: actor.organisationId,
      data: { fields: Object.keys(input) },
    },
    now,
  );
  return getOrganisation(db, actor);
}
