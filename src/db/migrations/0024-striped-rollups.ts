import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** The eleven score-count columns every NPS rollup carries: s0 … s10 (frozen here on purpose). */
const SCORE_COLUMNS = Array.from({ length: 11 }, (_, i) => `s${i}`);

/**
 * Striped rollups (issue 13, answers per second on PostgreSQL): every answer's transaction added
 * its count to the same rollup row of its organisation × day × survey × channel × segment, so
 * concurrent answer transactions of one organisation queued behind each other's row lock
 * (`Lock:transactionid` on the upsert) until the earlier one committed. A small `shard` (0–7) in
 * the primary key spreads them: a transaction writes all its counts to one shard, readers sum over
 * the shards, a rebuild writes shard 0. `organisation_id` stays first in both primary keys (the
 * tenant rule).
 *
 * SQLite cannot change a primary key in place: both tables are rebuilt (copied, dropped, renamed).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const [table, key] of [
      ['rollup_nps_daily', 'organisation_id, day, survey_id, channel, segment'],
      ['rollup_nps_employee_daily', 'organisation_id, day, employee_id'],
    ] as const) {
      await sql`alter table ${sql.table(table)} add column shard smallint not null default 0`.execute(
        db,
      );
      await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_pk`)}`.execute(
        db,
      );
      await sql`alter table ${sql.table(table)} add constraint ${sql.id(`${table}_pk`)}
        primary key (${sql.raw(key)}, shard)`.execute(db);
    }
    return;
  }

  let daily = db.schema
    .createTable('rollup_nps_daily_striped')
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('segment', 'text', (c) => c.notNull());
  for (const s of SCORE_COLUMNS) daily = daily.addColumn(s, 'integer', (c) => c.notNull());
  await daily
    .addColumn('shard', 'smallint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('rollup_nps_daily_pk', [
      'organisation_id',
      'day',
      'survey_id',
      'channel',
      'segment',
      'shard',
    ])
    .execute();
  const scores = sql.join(SCORE_COLUMNS.map((s) => sql.id(s)));
  await sql`insert into rollup_nps_daily_striped
      (organisation_id, day, survey_id, channel, segment, ${scores}, shard)
    select organisation_id, day, survey_id, channel, segment, ${scores}, 0
    from rollup_nps_daily`.execute(db);
  await db.schema.dropTable('rollup_nps_daily').execute();
  await db.schema.alterTable('rollup_nps_daily_striped').renameTo('rollup_nps_daily').execute();

  let employee = db.schema
    .createTable('rollup_nps_employee_daily_striped')
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('employee_id', 'text', (c) => c.notNull());
  for (const s of SCORE_COLUMNS) employee = employee.addColumn(s, 'integer', (c) => c.notNull());
  await employee
    .addColumn('shard', 'smallint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('rollup_nps_employee_daily_pk', [
      'organisation_id',
      'day',
      'employee_id',
      'shard',
    ])
    .execute();
  await sql`insert into rollup_nps_employee_daily_striped
      (organisation_id, day, employee_id, ${scores}, shard)
    select organisation_id, day, employee_id, ${scores}, 0
    from rollup_nps_employee_daily`.execute(db);
  await db.schema.dropTable('rollup_nps_employee_daily').execute();
  await db.schema
    .alterTable('rollup_nps_employee_daily_striped')
    .renameTo('rollup_nps_employee_daily')
    .execute();
  await db.schema
    .createIndex('rollup_nps_employee_daily_employee')
    .on('rollup_nps_employee_daily')
    .columns(['organisation_id', 'employee_id', 'day'])
    .execute();
}
