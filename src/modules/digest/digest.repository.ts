import type { Executor } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';

/** The roles that get the digest until they choose otherwise (see `digest.service.ts`). */
export const DEFAULT_DIGEST_ROLES: readonly Role[] = ['owner', 'admin', 'manager'];

/**
 * Every membership that wants the digest now: those who chose it, and those who never chose and
 * whose role gets it by default. One query over the installation (the weekly sweep).
 */
export async function listDigestRecipients(db: Executor, joinedBefore: number) {
  return db
    .selectFrom('memberships')
    .select(['id', 'organisation_id'])
    .where('created_at', '<', joinedBefore)
    .where((eb) =>
      eb.or([
        eb('weekly_digest', '=', 1),
        eb.and([eb('weekly_digest', 'is', null), eb('role', 'in', DEFAULT_DIGEST_ROLES)]),
      ]),
    )
    .orderBy('organisation_id')
    .orderBy('id')
    .execute();
}

/** A member with what composing their digest needs: role, login, language, organisation. */
export async function findDigestMember(db: Executor, organisationId: string, membershipId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select([
      'm.id',
      'm.organisation_id',
      'm.role',
      'm.employee_id',
      'm.weekly_digest',
      'u.id as user_id',
      'u.email',
      'u.name',
      'u.locale',
      'o.name as organisation_name',
      'o.settings as organisation_settings',
    ])
    .where('m.organisation_id', '=', organisationId)
    .where('m.id', '=', membershipId)
    .executeTakeFirst();
}

/** A user's own membership in the organisation of their session. */
export async function findOwnMembership(db: Executor, organisationId: string, userId: string) {
  return db
    .selectFrom('memberships')
    .select(['id', 'role', 'weekly_digest'])
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** The member's own choice: 1 wanted, 0 not wanted. */
export async function setDigestChoice(
  db: Executor,
  organisationId: string,
  membershipId: string,
  wanted: boolean,
): Promise<void> {
  await db
    .updateTable('memberships')
    .set({ weekly_digest: wanted ? 1 : 0 })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', membershipId)
    .execute();
}

/** Stores the hash of the newest digest's unsubscribe token (the older link stops working). */
export async function setDigestTokenHash(
  db: Executor,
  organisationId: string,
  membershipId: string,
  tokenHash: string,
): Promise<void> {
  await db
    .updateTable('memberships')
    .set({ digest_token_hash: tokenHash })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', membershipId)
    .execute();
}

/** The membership an unsubscribe link belongs to, by the SHA-256 of its token. */
export async function findMemberByTokenHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select([
      'm.id',
      'm.organisation_id',
      'm.role',
      'm.weekly_digest',
      'u.id as user_id',
      'u.locale',
      'o.name as organisation_name',
      'o.settings as organisation_settings',
    ])
    .where('m.digest_token_hash', '=', tokenHash)
    .executeTakeFirst();
}
