import type { Executor } from '../../db/database.ts';
import type { Locale, Role } from '../../db/schema.ts';

export interface SessionActorRow {
  session_id: string;
  csrf_token: string;
  expires_at: number;
  user_id: string;
  locale: Locale;
  organisation_id: string;
  role: Role;
  employee_id: string | null;
}

export async function findSessionActor(db: Executor, sessionId: string, now: number) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('memberships as m', (j) =>
      j.onRef('m.user_id', '=', 's.user_id').onRef('m.organisation_id', '=', 's.organisation_id'),
    )
    .select([
      's.id as session_id',
      's.csrf_token',
      's.expires_at',
      'u.id as user_id',
      'u.locale',
      'm.organisation_id',
      'm.role',
      'm.employee_id',
    ])
    .where('s.id', '=', sessionId)
    .where('s.expires_at', '>', now)
    .executeTakeFirst() as Promise<SessionActorRow | undefined>;
}

export async function insertSession(
  db: Executor,
  row: {
    id: string;
    user_id: string;
    organisation_id: string;
    csrf_token: string;
    created_at: number;
    expires_at: number;
  },
): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteExpiredSessions(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

export async function findUserForLogin(db: Executor, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'password_hash', 'locale'])
    .where('email', '=', email)
    .executeTakeFirst();
}

/**
 * The organisation a person lands in at login: their oldest membership; the organisation id breaks
 * a tie (two memberships made in one millisecond), so it is the same at every login on either database.
 */
export async function firstMembership(db: Executor, userId: string) {
  return db
    .selectFrom('memberships')
    .select(['organisation_id', 'role'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('organisation_id')
    .executeTakeFirst();
}

export async function findApiKeyByPrefix(db: Executor, prefix: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'organisation_id', 'key_hash', 'role', 'revoked_at', 'last_used_at'])
    .where('prefix', '=', prefix)
    .executeTakeFirst();
}

export async function touchApiKey(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}

export async function findUserSummary(db: Executor, userId: string, organisationId: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select([
      'u.id',
      'u.email',
      'u.name',
      'u.locale',
      'm.role',
      'm.employee_id',
      'o.id as organisation_id',
      'o.name as organisation_name',
      'o.locale as organisation_locale',
    ])
    .where('u.id', '=', userId)
    .where('m.organisation_id', '=', organisationId)
    .executeTakeFirst();
}

export async function updateUserLocale(db: Executor, userId: string, locale: Locale, now: number) {
  await db.updateTable('users').set({ locale, updated_at: now }).where('id', '=', userId).execute();
}

/** Every organisation a user is a member of, with their role there (by name, then id). */
export async function listMembershipsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['o.id as organisation_id', 'o.name', 'm.role', 'm.employee_id'])
    .where('m.user_id', '=', userId)
    .orderBy('o.name')
    .orderBy('o.id')
    .execute() as Promise<
    Array<{ organisation_id: string; name: string; role: Role; employee_id: string | null }>
  >;
}

/** Moves a session to another organisation, with a fresh CSRF token. */
export async function switchSessionOrganisation(
  db: Executor,
  row: { sessionId: string; organisationId: string; csrfToken: string },
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ organisation_id: row.organisationId, csrf_token: row.csrfToken })
    .where('id', '=', row.sessionId)
    .execute();
}
