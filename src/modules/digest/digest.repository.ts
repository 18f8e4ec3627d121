import type { Executor } from '../../db/database.ts';
import type { DigestTokenTable, Role } from '../../db/schema.ts';

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

/**
 * Stores the SHA-256 of one digest's unsubscribe token. Unique per membership and week: a second
 * token for the same digest fails, so a racing second composer cannot leave a link no mail holds.
 */
export async function insertDigestToken(db: Executor, row: DigestTokenTable): Promise<void> {
  await db.insertInto('digest_tokens').values(row).execute();
}

/** The membership an unsubscribe link belongs to, by the SHA-256 of its token (any digest's). */
export async function findMemberByTokenHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom('digest_tokens as dt')
    .innerJoin('memberships as m', (j) =>
      j
        .onRef('m.organisation_id', '=', 'dt.organisation_id')
        .onRef('m.id', '=', 'dt.membership_id'),
    )
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
    .where('dt.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Deletes at most `limit` of the organisation's digest tokens that are older than `cutoff` or whose
 * member is gone, and says how many.
 */
export async function deleteDigestTokens(
  db: Executor,
  organisationId: string,
  cutoff: number,
  limit: number,
): Promise<number> {
  const old = await db
    .selectFrom('digest_tokens as dt')
    .select('dt.id')
    .where('dt.organisation_id', '=', organisationId)
    .where((eb) =>
      eb.or([
        eb('dt.created_at', '<', cutoff),
        eb.not(
          eb.exists(
            eb
              .selectFrom('memberships as m')
              .select('m.id')
              .whereRef('m.organisation_id', '=', 'dt.organisation_id')
              .whereRef('m.id', '=', 'dt.membership_id'),
          ),
        ),
      ]),
    )
    .orderBy('dt.created_at')
    .limit(limit)
    .execute();
  if (old.length === 0) return 0;
  await db
    .deleteFrom('digest_tokens')
    .where('organisation_id', '=', organisationId)
    .where(
      'id',
      'in',
      old.map((o) => o.id),
    )
    .execute();
  return old.length;
}
