import { sql, type Kysely } from 'kysely';
import { addDays, localDateOf, zonedInstant } from '../../domain/calendar/zoned-time.ts';

/** The eleven score-count columns every NPS rollup carries: s0 … s10 (frozen here on purpose). */
const SCORE_COLUMNS = Array.from({ length: 11 }, (_, i) => `s${i}`);

/**
 * The location rollup (issue 10): answers counted per score per organisation × local day ×
 * location (vestiging), the snapshot each answer keeps — so the breakdown by location reads a
 * rollup like the other dimensions instead of grouping the period's answers. Striped like the
 * other rollups (`shard`, migration 0024); `organisation_id` first in the primary key (the tenant
 * rule). Answers without a location have no row.
 *
 * Filled here from the answers already stored, one local day (Europe/Amsterdam) at a time, as
 * `loyaal rollups rebuild` does; afterwards the `response.saved` subscriber keeps it in step.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  let table = db.schema
    .createTable('rollup_nps_location_daily')
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull());
  for (const s of SCORE_COLUMNS) table = table.addColumn(s, 'integer', (c) => c.notNull());
  await table
    .addColumn('shard', 'smallint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('rollup_nps_location_daily_pk', [
      'organisation_id',
      'day',
      'location_id',
      'shard',
    ])
    .execute();

  const spans = (
    await sql<{ organisation_id: string; first: number | string; last: number | string }>`
      select organisation_id, min(answered_at) as first, max(answered_at) as last
      from responses where location_id is not null group by organisation_id`.execute(db)
  ).rows;
  const counts = sql.join(
    SCORE_COLUMNS.map(
      (s, k) => sql`sum(case when score = ${sql.lit(k)} then 1 else 0 end) as ${sql.ref(s)}`,
    ),
  );
  const columns = sql.join(SCORE_COLUMNS.map((s) => sql.ref(s)));
  for (const span of spans) {
    const last = Number(span.last);
    let date = localDateOf(Number(span.first));
    let start = zonedInstant(date);
    while (start <= last) {
      date = addDays(date, 1);
      const end = zonedInstant(date);
      await sql`insert into rollup_nps_location_daily
          (organisation_id, day, location_id, shard, ${columns})
        select organisation_id, ${start}, location_id, 0, ${counts}
        from responses
        where organisation_id = ${span.organisation_id} and answered_at >= ${start}
          and answered_at < ${end} and location_id is not null
        group by organisation_id, location_id`.execute(db);
      start = end;
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rollup_nps_location_daily').execute();
}
