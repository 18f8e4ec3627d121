import type { Kysely } from 'kysely';

/** The eleven score-count columns every NPS rollup carries: s0 … s10 (frozen here on purpose). */
const SCORE_COLUMNS = Array.from({ length: 11 }, (_, i) => `s${i}`);

/**
 * Insight (issue 10): rollups that the dashboards read instead of the answers, kept up to date by a
 * subscriber of `response.saved` in the answer's own transaction and rebuildable from the answers
 * (`loyaal rollups rebuild`).
 *
 * - `rollup_nps_daily`: organisation × local day × survey × channel × segment, with the count of
 *   each score 0–10. Two years of 10 segments and 2 channels is ~15,000 rows per survey,
 *   whatever the number of answers.
 * - `rollup_nps_employee_daily`: organisation × local day × account manager (the owner snapshot).
 *
 * A missing segment is stored as '' so the primary key (which treats NULLs as distinct) stays
 * unique. `day` is the instant of local midnight (Europe/Amsterdam) in ms.
 *
 * Also an index on answers by owner and time, for an account manager's own screens (their comments,
 * their customers who asked to be contacted) and filters the rollups cannot answer.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  let daily = db.schema
    .createTable('rollup_nps_daily')
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('segment', 'text', (c) => c.notNull());
  for (const s of SCORE_COLUMNS) daily = daily.addColumn(s, 'integer', (c) => c.notNull());
  await daily
    .addPrimaryKeyConstraint('rollup_nps_daily_pk', [
      'organisation_id',
      'day',
      'survey_id',
      'channel',
      'segment',
    ])
    .execute();

  let employee = db.schema
    .createTable('rollup_nps_employee_daily')
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('employee_id', 'text', (c) => c.notNull());
  for (const s of SCORE_COLUMNS) employee = employee.addColumn(s, 'integer', (c) => c.notNull());
  await employee
    .addPrimaryKeyConstraint('rollup_nps_employee_daily_pk', [
      'organisation_id',
      'day',
      'employee_id',
    ])
    .execute();
  await db.schema
    .createIndex('rollup_nps_employee_daily_employee')
    .on('rollup_nps_employee_daily')
    .columns(['organisation_id', 'employee_id', 'day'])
    .execute();

  await db.schema
    .createIndex('responses_org_owner_answered')
    .on('responses')
    .columns(['organisation_id', 'owner_employee_id', 'answered_at'])
    .execute();
}
