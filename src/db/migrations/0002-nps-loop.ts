import type { Kysely } from 'kysely';

/**
 * The NPS loop: surveys, sends (batches and waves), invitations with personal links, responses,
 * and the email log (which doubles as the local outbox when no SMTP server is configured).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('surveys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('anonymous_token', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('surveys_org_created')
    .on('surveys')
    .columns(['organisation_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('survey_sends')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('survey_id', 'text', (c) => c.notNull().references('surveys.id'))
    .addColumn('selection', 'text', (c) => c.notNull())
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('planned_count', 'integer', (c) => c.notNull())
    .addColumn('skipped_count', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('survey_id', 'text', (c) => c.notNull().references('surveys.id'))
    .addColumn('send_id', 'text', (c) => c.references('survey_sends.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('account_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('planned_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('clicked_at', 'bigint')
    .addColumn('responded_at', 'bigint')
    .addColumn('bounced_at', 'bigint')
    .addColumn('reminder_planned_at', 'bigint')
    .addColumn('reminder_sent_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('invitations_org_contact')
    .on('invitations')
    .columns(['organisation_id', 'contact_id', 'planned_at'])
    .execute();
  await db.schema
    .createIndex('invitations_org_account')
    .on('invitations')
    .columns(['organisation_id', 'account_id', 'planned_at'])
    .execute();
  await db.schema
    .createIndex('invitations_org_survey')
    .on('invitations')
    .columns(['organisation_id', 'survey_id', 'status'])
    .execute();

  await db.schema
    .createTable('responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('survey_id', 'text', (c) => c.notNull().references('surveys.id'))
    .addColumn('invitation_id', 'text', (c) => c.unique())
    .addColumn('contact_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('employee_score', 'integer')
    .addColumn('may_contact', 'integer', (c) => c.notNull())
    .addColumn('ambassador_opt_in', 'integer', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('owner_employee_id', 'text')
    .addColumn('account_id', 'text')
    .addColumn('segment', 'text')
    .addColumn('device_key', 'text')
    .addColumn('answered_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('closes_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('responses_org_survey_answered')
    .on('responses')
    .columns(['organisation_id', 'survey_id', 'answered_at'])
    .execute();
  await db.schema
    .createIndex('responses_org_answered')
    .on('responses')
    .columns(['organisation_id', 'answered_at', 'id'])
    .execute();
  await db.schema
    .createIndex('responses_org_contact')
    .on('responses')
    .columns(['organisation_id', 'contact_id', 'answered_at'])
    .execute();
  await db.schema
    .createIndex('responses_device')
    .on('responses')
    .columns(['survey_id', 'device_key'])
    .unique()
    .execute();

  await db.schema
    .createTable('emails')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('invitation_id', 'text')
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('transport', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('emails_org_created')
    .on('emails')
    .columns(['organisation_id', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['emails', 'responses', 'invitations', 'survey_sends', 'surveys']) {
    await db.schema.dropTable(t).execute();
  }
}
