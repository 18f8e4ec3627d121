import { sql, type Kysely } from 'kysely';
import { addDays, localDateOf, weekdayOf, zonedInstant } from '../../domain/calendar/zoned-time.ts';

/** The eleven score-count columns every NPS rollup carries: s0 … s10 (frozen here on purpose). */
const SCORE_COLUMNS = Array.from({ length: 11 }, (_, i) => `s${i}`);

/**
 * The account managers' weekly rollup (issue 10, the breakdown per account manager at 10 million
 * answers): answers counted per score per organisation × local week (Monday 00:00
 * Europe/Amsterdam) × account manager (the owner snapshot). A 90-day period of 500 account
 * managers sums about 6,500 weekly rows and the few days at either end from the daily grain,
 * instead of 45,000 daily rows. Striped like the other rollups (`shard`, migration 0024),
 * `organisation_id` first in the primary key (the tenant rule).
 *
 * Filled here from the daily employee rollup (the same counts, summed per week); afterwards the
 * `response.saved` subscriber keeps it in step and `loyaal rollups rebuild` recounts it from the
 * answers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  let table = db.schema
    .createTable('rollup_nps_employee_weekly')
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('week', 'bigint', (c) => c.notNull())
    .addColumn('employee_id', 'text', (c) => c.notNull());
  for (const s of SCORE_COLUMNS) table = table.addColumn(s, 'integer', (c) => c.notNull());
  await table
    .addColumn('shard', 'smallint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('rollup_nps_employee_weekly_pk', [
      'organisation_id',
      'week',
      'employee_id',
      'shard',
    ])
    .execute();

  const spans = (
    await sql<{ organisation_id: string; first: number | string; last: number | string }>`
      select organisation_id, min(day) as first, max(day) as last
      from rollup_nps_employee_daily group by organisation_id`.execute(db)
  ).rows;
  const sums = sql.join(SCORE_COLUMNS.map((s) => sql`sum(${sql.ref(s)})`));
  const columns = sql.join(SCORE_COLUMNS.map((s) => sql.ref(s)));
  for (const span of spans) {
    const last = Number(span.last);
    const firstDate = localDateOf(Number(span.first));
    // The Monday of the first day's week (weekdayOf: 0 = Sunday).
    let date = addDays(firstDate, -((weekdayOf(firstDate) + 6) % 7));
    let start = zonedInstant(date);
    while (start <= last) {
      date = addDays(date, 7);
      const end = zonedInstant(date);
      await sql`insert into rollup_nps_employee_weekly
          (organisation_id, week, employee_id, shard, ${columns})
        select organisation_id, ${start}, employee_id, 0, ${sums}
        from rollup_nps_employee_daily
        where organisation_id = ${span.organisation_id} and day >= ${start} and day < ${end}
        group by organisation_id, employee_id`.execute(db);
      start = end;
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rollup_nps_employee_weekly').execute();
}
