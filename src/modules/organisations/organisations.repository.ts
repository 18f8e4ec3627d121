import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import type { Locale, Role } from '../../db/schema.ts';

export async function countOrganisations(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('organisations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** PostgreSQL: serialises first-visit setups until the caller's transaction ends. */
export async function lockFirstSetup(db: Executor): Promise<void> {
  if (isPostgres(db)) await sql`select pg_advisory_xact_lock(4242003)`.execute(db);
}

export async function insertOrganisation(
  db: Executor,
  row: { id: string; name: string; locale: Locale; settings: string; now: number },
): Promise<void> {
  await db
    .insertInto('organisations')
    .values({
      id: row.id,
      name: row.name,
      locale: row.locale,
      settings: row.settings,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute();
}

export async function findOrganisation(db: Executor, id: string) {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'locale', 'settings', 'created_at', 'updated_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateOrganisation(
  db: Executor,
  id: string,
  patch: { name?: string; locale?: Locale; settings?: string },
  now: number,
): Promise<void> {
  await db
    .updateTable('organisations')
    .set({ ...patch, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function insertUser(
  db: Executor,
  row: {
    id: string;
    email: string;
    name: string;
    password_hash: string;
    locale: Locale;
    now: number;
  },
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: row.id,
      email: row.email,
      name: row.name,
      password_hash: row.password_hash,
      locale: row.locale,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute();
}

export async function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').select(['id']).where('email', '=', email).executeTakeFirst();
}

export async function insertMembership(
  db: Executor,
  row: {
    id: string;
    organisation_id: string;
    user_id: string;
    role: Role;
    employee_id: string | null;
    now: number;
  },
): Promise<void> {
  await db
    .insertInto('memberships')
    .values({
      id: row.id,
      organisation_id: row.organisation_id,
      user_id: row.user_id,
      role: row.role,
      employee_id: row.employee_id,
      created_at: row.now,
    })
    .execute();
}

/** Every organisation's id and settings (the daily retention run walks them). */
export async function listOrganisationSettings(db: Executor) {
  return db.selectFrom('organisations').select(['id', 'settings']).orderBy('id').execute();
}
