import type { Executor } from '../../db/database.ts';
import type { MailServerTable, MailTestTable } from '../../db/schema.ts';

export const MAIL_SERVER_COLUMNS = [
  'organisation_id',
  'host',
  'port',
  'security',
  'username',
  'password_secret',
  'from_address',
  'created_at',
  'updated_at',
] as const;
export type MailServerRow = Pick<MailServerTable, (typeof MAIL_SERVER_COLUMNS)[number]>;

export async function findMailServer(
  db: Executor,
  organisationId: string,
): Promise<MailServerRow | undefined> {
  return db
    .selectFrom('mail_servers')
    .select(MAIL_SERVER_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

/** Inserts or replaces the organisation's one mail server. */
export async function upsertMailServer(db: Executor, row: MailServerTable): Promise<void> {
  await db
    .insertInto('mail_servers')
    .values(row)
    .onConflict((oc) =>
      oc.column('organisation_id').doUpdateSet({
        host: row.host,
        port: row.port,
        security: row.security,
        username: row.username,
        password_secret: row.password_secret,
        from_address: row.from_address,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function deleteMailServer(db: Executor, organisationId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('mail_servers')
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertMailTest(db: Executor, row: MailTestTable): Promise<void> {
  await db.insertInto('mail_tests').values(row).execute();
}

const MAIL_TEST_COLUMNS = ['id', 'source', 'ok', 'reason', 'server_reply', 'created_at'] as const;
export type MailTestRow = Pick<MailTestTable, (typeof MAIL_TEST_COLUMNS)[number]>;

/** The newest test mail of the organisation (optionally only successful ones). */
export async function lastMailTest(
  db: Executor,
  organisationId: string,
  options: { okOnly?: boolean } = {},
): Promise<MailTestRow | undefined> {
  let q = db
    .selectFrom('mail_tests')
    .select(MAIL_TEST_COLUMNS)
    .where('organisation_id', '=', organisationId);
  if (options.okOnly) q = q.where('ok', '=', 1);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The email address of a user who belongs to the organisation (the "to me" of a test mail). */
export async function findMemberEmail(
  db: Executor,
  organisationId: string,
  userId: string,
): Promise<{ email: string; name: string } | undefined> {
  return db
    .selectFrom('users as u')
    .innerJoin('memberships as m', 'm.user_id', 'u.id')
    .select(['u.email', 'u.name'])
    .where('u.id', '=', userId)
    .where('m.organisation_id', '=', organisationId)
    .executeTakeFirst();
}
