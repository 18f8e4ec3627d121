import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The owner's first day (issue 8): the organisation's own mail server (password encrypted at rest),
 * uploaded logos, the first name and salutation a greeting needs, and an idempotency key so that
 * clicking "Nieuwe enquête" twice makes one survey.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable('mail_servers')
    .addColumn('organisation_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull())
    .addColumn('security', 'text', (c) => c.notNull())
    .addColumn('username', 'text')
    // AES-256-GCM ciphertext (`v1:<key id>:<iv>:<tag>:<data>`), never the password itself.
    .addColumn('password_secret', 'text')
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // The outcome of the last test mail, per organisation, whichever server it went through.
  await db.schema
    .createTable('mail_tests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('server_reply', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('mail_tests_org_created')
    .on('mail_tests')
    .columns(['organisation_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('logos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('bytes', postgres ? sql`bytea` : sql`blob`, (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('logos_org').on('logos').column('organisation_id').execute();

  await db.schema.alterTable('contacts').addColumn('first_name', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('salutation', 'text').execute();

  await db.schema.alterTable('surveys').addColumn('creation_key', 'text').execute();
  await db.schema
    .createIndex('surveys_org_creation_key')
    .on('surveys')
    .columns(['organisation_id', 'creation_key'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('surveys_org_creation_key').execute();
  await db.schema.alterTable('surveys').dropColumn('creation_key').execute();
  await db.schema.alterTable('contacts').dropColumn('salutation').execute();
  await db.schema.alterTable('contacts').dropColumn('first_name').execute();
  await db.schema.dropTable('logos').execute();
  await db.schema.dropTable('mail_tests').execute();
  await db.schema.dropTable('mail_servers').execute();
}
