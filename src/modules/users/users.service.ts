import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { newId, newToken, sha256 } from '../../shared/ids.ts';
import type { Actor } from '../auth/actor.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { canGrantRole } from '../auth/policies.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { employeeExists } from '../contacts/contacts.repository.ts';
import { emailSchema, passwordSchema } from '../organisations/organisations.schemas.ts';
import {
  findUserByEmail,
  insertMembership,
  insertUser,
} from '../organisations/organisations.repository.ts';
import { findUserForLogin } from '../auth/auth.repository.ts';
import * as repo from './users.repository.ts';
import { iso } from '../../shared/time.ts';
import { timestamp } from '../../shared/api-schemas.ts';
import { localeSchema, roleSchema } from '../auth/auth.schemas.ts';

const INVITE_DAYS = 7;

/** A member of the organisation, as the API and the admin app show it. */
export const memberSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  employeeId: z.string().nullable(),
  createdAt: timestamp,
});
export type MemberJson = z.output<typeof memberSchema>;

/** An open invitation of a colleague (its token is never listed). */
export const openInviteSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  employeeId: z.string().nullable(),
  expiresAt: timestamp,
});
export type OpenInviteJson = z.output<typeof openInviteSchema>;

/** A new invitation: the link to accept it is shown once, here. */
export const createdInviteSchema = openInviteSchema.extend({
  acceptUrl: z.string().describe('The link the colleague opens to accept'),
});

/** An invitation as its accept page describes it (no session yet: the token is the credential). */
export const publicInviteSchema = z.object({
  email: z.string(),
  role: roleSchema,
  organisationName: z.string(),
  existingUser: z.boolean().describe('Whether the address already has a login (password asked)'),
  locale: localeSchema,
});
export type PublicInviteJson = z.output<typeof publicInviteSchema>;

export const inviteSchema = z.strictObject({
  email: emailSchema,
  role: roleSchema,
  employeeId: z.uuid().nullish(),
});
export const updateMemberSchema = z.strictObject({
  role: roleSchema.optional(),
  employeeId: z.uuid().nullish(),
});
export const acceptInviteSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  password: passwordSchema,
});

export function presentMember(m: Awaited<ReturnType<typeof repo.listMembers>>[number]): MemberJson {
  return {
    id: m.id,
    userId: m.user_id,
    name: m.name,
    email: m.email,
    role: m.role,
    employeeId: m.employee_id,
    createdAt: iso(m.created_at),
  };
}

async function checkEmployee(db: Executor, actor: Actor, employeeId: string | null | undefined) {
  if (employeeId && !(await employeeExists(db, actor.organisationId, employeeId))) {
    throw new AppError('validation_failed', {
      issues: [{ field: 'employeeId', problem: 'unknown_employee' }],
    });
  }
}

/**
 * Invites a colleague with a role. The token is returned (and, once mail exists, emailed); only its
 * hash is stored. Nobody can invite with a role above their own.
 */
export async function inviteUser(
  db: Executor,
  actor: Actor,
  input: z.infer<typeof inviteSchema>,
  now: number,
) {
  if (!canGrantRole(actor, input.role)) throw new AppError('forbidden');
  await checkEmployee(db, actor, input.employeeId);
  const token = newToken();
  const row = {
    id: newId(),
    organisation_id: actor.organisationId,
    email: input.email,
    role: input.role,
    employee_id: input.employeeId ?? null,
    token_hash: sha256(token),
    invited_by: actor.id,
    expires_at: now + INVITE_DAYS * 86_400_000,
    accepted_at: null,
    created_at: now,
  };
  await repo.insertInvite(db, row);
  await recordAudit(
    db,
    actor,
    { action: 'user.invited', entityType: 'invite', entityId: row.id, data: { role: input.role } },
    now,
  );
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    employeeId: row.employee_id,
    expiresAt: iso(row.expires_at),
    token,
  };
}

/**
 * The invitation behind a token while it can be used: not accepted, not expired, and its maker
 * still allowed to grant its role — one made by someone since removed or demoted (or by an API key
 * since revoked) no longer lets anyone in.
 */
async function usableInvite(db: Executor, token: string, now: number) {
  const invite = await repo.findInviteByTokenHash(db, sha256(token));
  if (!invite || invite.accepted_at !== null || invite.expires_at <= now)
    throw new AppError('invite_invalid');
  const inviterRole = await repo.currentInviterRole(db, invite.organisation_id, invite.invited_by);
  if (inviterRole === null || !canGrantRole({ role: inviterRole }, invite.role))
    throw new AppError('invite_invalid');
  return invite;
}

/** The address an invitation was sent to, or null for a token that names none. */
export async function inviteEmail(db: Executor, token: string): Promise<string | null> {
  return (await repo.findInviteByTokenHash(db, sha256(token)))?.email ?? null;
}

/** The invitations that can still be accepted: open, and their maker still able to grant the role. */
export async function openInvites(db: Executor, organisationId: string, now: number) {
  const rows = await repo.listOpenInvites(db, organisationId, now);
  const usable = [];
  for (const r of rows) {
    const role = await repo.currentInviterRole(db, organisationId, r.invited_by);
    if (role !== null && canGrantRole({ role }, r.role)) usable.push(r);
  }
  return usable;
}

export async function describeInvite(
  db: Executor,
  token: string,
  now: number,
): Promise<PublicInviteJson> {
  const invite = await usableInvite(db, token, now);
  const existing = await findUserByEmail(db, invite.email);
  return {
    email: invite.email,
    role: invite.role,
    organisationName: invite.organisation_name,
    existingUser: !!existing,
    locale: invite.locale,
  };
}

/** Accepts an invitation: creates the user (or, for an existing login, checks the password) and the membership. */
export async function acceptInvite(
  db: Executor,
  token: string,
  input: z.infer<typeof acceptInviteSchema>,
  now: number,
): Promise<{ userId: string; organisationId: string }> {
  const invite = await usableInvite(db, token, now);
  let userId: string;
  const existing = await findUserForLogin(db, invite.email);
  if (existing) {
    if (!(await verifyPassword(existing.password_hash, input.password)))
      throw new AppError('invalid_credentials');
    userId = existing.id;
  } else {
    userId = newId();
    await insertUser(db, {
      id: userId,
      email: invite.email,
      name: input.name,
      password_hash: await hashPassword(input.password),
      locale: invite.locale,
      now,
    });
  }
  if ((await repo.markInviteAccepted(db, invite.id, now)) !== 1)
    throw new AppError('invite_invalid');
  await insertMembership(db, {
    id: newId(),
    organisation_id: invite.organisation_id,
    user_id: userId,
    role: invite.role,
    employee_id: invite.employee_id,
    now,
  });
  await recordAudit(
    db,
    { kind: 'system', organisationId: invite.organisation_id },
    { action: 'user.joined', entityType: 'user', entityId: userId, data: { role: invite.role } },
    now,
  );
  return { userId, organisationId: invite.organisation_id };
}

export async function updateMember(
  db: Executor,
  actor: Actor,
  id: string,
  input: z.infer<typeof updateMemberSchema>,
  now: number,
) {
  const member = await repo.findMember(db, actor.organisationId, id);
  if (!member) throw notFound('member');
  if (input.role && !canGrantRole(actor, input.role)) throw new AppError('forbidden');
  if (member.role === 'owner' && actor.role !== 'owner') throw new AppError('forbidden');
  if (
    member.role === 'owner' &&
    input.role &&
    input.role !== 'owner' &&
    (await repo.countOwners(db, actor.organisationId)) <= 1
  ) {
    throw new AppError('validation_failed', {
      issues: [{ field: 'role', problem: 'invalid_value' }],
    });
  }
  await checkEmployee(db, actor, input.employeeId);
  await repo.updateMember(db, actor.organisationId, id, {
    ...(input.role ? { role: input.role } : {}),
    ...(input.employeeId !== undefined ? { employee_id: input.employeeId } : {}),
  });
  await recordAudit(
    db,
    actor,
    {
      action: 'member.updated',
      entityType: 'member',
      entityId: id,
      data: { role: input.role ?? null },
    },
    now,
  );
  const updated = await repo.findMember(db, actor.organisationId, id);
  if (!updated) throw notFound('member');
  return presentMember(updated);
}

export async function removeMember(db: Executor, actor: Actor, id: string, now: number) {
  const member = await repo.findMember(db, actor.organisationId, id);
  if (!member) throw notFound('member');
  if (
    member.role === 'owner' &&
    (actor.role !== 'owner' || (await repo.countOwners(db, actor.organisationId)) <= 1)
  ) {
    throw new AppError('forbidden');
  }
  await repo.deleteMember(db, actor.organisationId, id, member.user_id);
  await recordAudit(
    db,
    actor,
    { action: 'member.removed', entityType: 'member', entityId: id },
    now,
  );
}
