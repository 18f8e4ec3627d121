import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import type { Role, UserInviteTable } from '../../db/schema.ts';

/** The organisation's memberships with their users, as the team screen shows them. */
function members(db: Executor, organisationId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select([
      'm.id',
      'm.role',
      'm.employee_id',
      'm.created_at',
      'u.id as user_id',
      'u.name',
      'u.email',
    ])
    .where('m.organisation_id', '=', organisationId);
}

export async function listMembers(db: Executor, organisationId: string) {
  return members(db, organisationId).orderBy('m.created_at', 'asc').execute();
}

/** A user's email address (for mail addressed to them), or undefined. */
export async function findUserEmail(db: Executor, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('email')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.email;
}

export async function findMember(db: Executor, organisationId: string, id: string) {
  return members(db, organisationId).where('m.id', '=', id).executeTakeFirst();
}

/**
 * The organisation's owners, counted with their rows locked to the end of the transaction on
 * PostgreSQL: two owners demoting or removing each other at the same moment would each count two
 * and leave none; the second now waits for the first and counts what it left.
 */
export async function countOwners(db: Executor, organisationId: string): Promise<number> {
  const query = db
    .selectFrom('memberships')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'owner')
    .orderBy('id');
  const rows = isPostgres(db) ? await query.forUpdate().execute() : await query.execute();
  return rows.length;
}

export async function updateMember(
  db: Executor,
  organisationId: string,
  id: string,
  patch: { role?: Role; employee_id?: string | null },
): Promise<void> {
  await db
    .updateTable('memberships')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

export async function deleteMember(
  db: Executor,
  organisationId: string,
  id: string,
  userId: string,
): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .execute();
  await db
    .deleteFrom('memberships')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

export async function insertInvite(db: Executor, row: UserInviteTable): Promise<void> {
  await db.insertInto('user_invites').values(row).execute();
}

export async function listOpenInvites(db: Executor, organisationId: string, now: number) {
  return db
    .selectFrom('user_invites')
    .select(['id', 'email', 'role', 'employee_id', 'expires_at', 'created_at', 'invited_by'])
    .where('organisation_id', '=', organisationId)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function findInviteByTokenHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom('user_invites as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .select([
      'i.id',
      'i.organisation_id',
      'i.email',
      'i.role',
      'i.employee_id',
      'i.expires_at',
      'i.accepted_at',
      'i.invited_by',
      'o.name as organisation_name',
      'o.locale',
    ])
    .where('i.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function markInviteAccepted(db: Executor, id: string, now: number): Promise<number> {
  const r = await db
    .updateTable('user_invites')
    .set({ accepted_at: now })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function revokeInvite(
  db: Executor,
  organisationId: string,
  id: string,
  now: number,
): Promise<number> {
  const r = await db
    .updateTable('user_invites')
    .set({ expires_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * The role with which whoever made an invitation could grant roles today: their membership's
 * (a person), or the key's while it is not revoked (an API key); null when they are gone.
 */
export async function currentInviterRole(
  db: Executor,
  organisationId: string,
  invitedBy: string,
): Promise<Role | null> {
  const member = await db
    .selectFrom('memberships')
    .select('role')
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', invitedBy)
    .executeTakeFirst();
  if (member) return member.role;
  const key = await db
    .selectFrom('api_keys')
    .select('role')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', invitedBy)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return key?.role ?? null;
}
