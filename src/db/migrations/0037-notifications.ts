import type { Kysely } from 'kysely';

/**
 * Notifications (issue 10): "celebrate" and "attention" notes when an account manager's or a
 * team's NPS really changed from one month to the next. One note per subject per period at most:
 * (organisation, subject kind, subject key, period) is unique, so the daily job may run any
 * number of times. Whether a note was read is kept per reader (a user, or an API key), since one
 * note is seen by the person it is about, their manager and the owner.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // 'employee' (key: the employee's id) or 'team' (key: the team's name).
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_key', 'text', (c) => c.notNull())
    // The month judged, '2026-10', and its bounds (local midnights); the previous month before it.
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('period_from', 'bigint', (c) => c.notNull())
    .addColumn('period_to', 'bigint', (c) => c.notNull())
    .addColumn('previous_from', 'bigint', (c) => c.notNull())
    .addColumn('answers_before', 'integer', (c) => c.notNull())
    .addColumn('answers_after', 'integer', (c) => c.notNull())
    // Shrunk NPS of each month (points) and the posterior probability of a real rise.
    .addColumn('nps_before', 'double precision', (c) => c.notNull())
    .addColumn('nps_after', 'double precision', (c) => c.notNull())
    .addColumn('probability_of_rise', 'double precision', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('notifications_once_per_period')
    .on('notifications')
    .columns(['organisation_id', 'subject_kind', 'subject_key', 'period'])
    .unique()
    .execute();
  await db.schema
    .createIndex('notifications_org_created')
    .on('notifications')
    .columns(['organisation_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createTable('notification_reads')
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('notification_id', 'text', (c) => c.notNull().references('notifications.id'))
    // A user's id, or an API key's.
    .addColumn('reader_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_reads_pk', [
      'organisation_id',
      'notification_id',
      'reader_id',
    ])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notification_reads').execute();
  await db.schema.dropTable('notifications').execute();
}
