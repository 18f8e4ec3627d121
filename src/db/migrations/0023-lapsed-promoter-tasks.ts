import type { Kysely } from 'kysely';

/**
 * Lapsed promoters (issue 11): a promoter who did not come back within their usual interval gets a
 * task for their account manager ("tevreden, maar niet teruggekomen"). One task per contact per
 * interval: the expected return date (`due_at`) is part of the unique key, so the daily sweep can
 * run any number of times and a customer who returns and lapses again gets a new task.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('loyalty_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // The contact's account manager when the task was made (null: nobody's).
    .addColumn('owner_employee_id', 'text')
    .addColumn('score', 'integer')
    .addColumn('last_visit_at', 'bigint', (c) => c.notNull())
    .addColumn('interval_days', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .addColumn('done_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('loyalty_tasks_once_per_interval')
    .on('loyalty_tasks')
    .columns(['organisation_id', 'contact_id', 'kind', 'due_at'])
    .unique()
    .execute();
  await db.schema
    .createIndex('loyalty_tasks_org_open')
    .on('loyalty_tasks')
    .columns(['organisation_id', 'done_at', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('loyalty_tasks').execute();
}
