import { sql, type RawBuilder } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import { executeTogether, type PendingWrite } from '../../db/writes-together.ts';
import { SCORE_COLUMNS, type ResponseChannel } from '../../db/schema.ts';
import { addLocalDays, startOfLocalWeek } from './calendar.ts';

/**
 * The NPS rollups: answers counted per score, per organisation × local day × survey × channel ×
 * segment, and per organisation × local day (and week) × account manager; and the response
 * funnel per organisation × hour × survey (kept by triggers, migration 0043). Only this file
 * touches the rollup tables. Counts change by deltas (an edited answer moves one count from its old score to its new
 * one) and can be rebuilt from the answers at any time.
 *
 * Each key is striped over shards (migration 0024): one transaction adds all its deltas to one
 * shard, so concurrent transactions of one organisation do not wait for each other's row lock;
 * every read sums over the shards (a shard alone may even hold a negative count, when an edit's −1
 * lands in another shard than the answer's +1). A rebuild writes shard 0.
 */

/** A transaction's shard: a number, or the SQL that claims one in the statement itself. */
export type Shard = number | RawBuilder<number>;

/**
 * The shard of the transaction `db` runs in. PostgreSQL: the lowest shard no other running
 * transaction holds, claimed by the first rollup write and kept to the transaction's end, by the
 * funnel's triggers too (`loyaal_rollup_shard()`, migration 0058). SQLite has one writer: shard 0.
 */
export const transactionShard = (db: Executor): Shard =>
  isPostgres(db) ? sql<number>`loyaal_rollup_shard()` : 0;

/** Rows per upsert statement: 16 parameters each stays far below both dialects' limits. */
const CHUNK = 500;

/** One change to the daily rollup: +1 or −1 on a score of one key. */
export interface DailyDelta {
  organisationId: string;
  day: number;
  surveyId: string;
  channel: ResponseChannel;
  /** '' when the answer has no segment. */
  segment: string;
  counts: number[];
}

/** One change to the weekly per-employee rollup (`week`: Monday local midnight). */
export interface EmployeeWeekDelta {
  organisationId: string;
  week: number;
  employeeId: string;
  counts: number[];
}

export interface LocationDelta {
  organisationId: string;
  day: number;
  locationId: string;
  counts: number[];
}

export interface EmployeeDelta {
  organisationId: string;
  day: number;
  employeeId: string;
  counts: number[];
}

const scoreSet = (table: string) =>
  Object.fromEntries(
    SCORE_COLUMNS.map((s) => [
      s,
      sql<number>`${sql.ref(`${table}.${s}`)} + ${sql.ref(`excluded.${s}`)}`,
    ]),
  );

const scoreValues = (counts: readonly number[]) =>
  Object.fromEntries(SCORE_COLUMNS.map((s, i) => [s, counts[i] ?? 0])) as Record<
    (typeof SCORE_COLUMNS)[number],
    number
  >;

/** What one transaction adds to the NPS rollups, each list in a stable order of its keys. */
export interface RollupDeltas {
  daily: readonly DailyDelta[];
  employee: readonly EmployeeDelta[];
  employeeWeek: readonly EmployeeWeekDelta[];
  location: readonly LocationDelta[];
}

/**
 * Adds a transaction's deltas to the daily, per-employee (daily and weekly) and per-location
 * rollups: on PostgreSQL in ONE statement (`executeTogether`; they write different tables, or
 * different keys of one, so none needs to see another's rows), and an answer batch's rollups cost
 * one round trip instead of up to four. SQLite: one statement per upsert, in turn.
 */
export async function addDeltas(db: Executor, deltas: RollupDeltas, shard: Shard): Promise<void> {
  await executeTogether(db, [
    ...dailyUpserts(db, deltas.daily, shard),
    ...employeeUpserts(db, deltas.employee, shard),
    ...employeeWeekUpserts(db, deltas.employeeWeek, shard),
    ...locationUpserts(db, deltas.location, shard),
  ]);
}

/** The upserts (one per chunk of rows) that add deltas to the daily rollup; keys unique. */
function dailyUpserts(db: Executor, deltas: readonly DailyDelta[], shard: Shard): PendingWrite[] {
  const upserts: PendingWrite[] = [];
  for (let i = 0; i < deltas.length; i += CHUNK) {
    const part = deltas.slice(i, i + CHUNK);
    upserts.push(
      db
        .insertInto('rollup_nps_daily')
        .values(
          part.map((d) => ({
            organisation_id: d.organisationId,
            day: d.day,
            survey_id: d.surveyId,
            channel: d.channel,
            segment: d.segment,
            shard,
            ...scoreValues(d.counts),
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(['organisation_id', 'day', 'survey_id', 'channel', 'segment', 'shard'])
            .doUpdateSet(scoreSet('rollup_nps_daily')),
        ),
    );
  }
  return upserts;
}

/** The upserts (one per chunk of rows) that add deltas to the per-employee rollup. */
function employeeUpserts(
  db: Executor,
  deltas: readonly EmployeeDelta[],
  shard: Shard,
): PendingWrite[] {
  const upserts: PendingWrite[] = [];
  for (let i = 0; i < deltas.length; i += CHUNK) {
    const part = deltas.slice(i, i + CHUNK);
    upserts.push(
      db
        .insertInto('rollup_nps_employee_daily')
        .values(
          part.map((d) => ({
            organisation_id: d.organisationId,
            day: d.day,
            employee_id: d.employeeId,
            shard,
            ...scoreValues(d.counts),
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(['organisation_id', 'day', 'employee_id', 'shard'])
            .doUpdateSet(scoreSet('rollup_nps_employee_daily')),
        ),
    );
  }
  return upserts;
}

/** The upserts (one per chunk of rows) that add deltas to the weekly per-employee rollup. */
function employeeWeekUpserts(
  db: Executor,
  deltas: readonly EmployeeWeekDelta[],
  shard: Shard,
): PendingWrite[] {
  const upserts: PendingWrite[] = [];
  for (let i = 0; i < deltas.length; i += CHUNK) {
    const part = deltas.slice(i, i + CHUNK);
    upserts.push(
      db
        .insertInto('rollup_nps_employee_weekly')
        .values(
          part.map((d) => ({
            organisation_id: d.organisationId,
            week: d.week,
            employee_id: d.employeeId,
            shard,
            ...scoreValues(d.counts),
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(['organisation_id', 'week', 'employee_id', 'shard'])
            .doUpdateSet(scoreSet('rollup_nps_employee_weekly')),
        ),
    );
  }
  return upserts;
}

/** The upserts (one per chunk of rows) that add deltas to the per-location rollup. */
function locationUpserts(
  db: Executor,
  deltas: readonly LocationDelta[],
  shard: Shard,
): PendingWrite[] {
  const upserts: PendingWrite[] = [];
  for (let i = 0; i < deltas.length; i += CHUNK) {
    const part = deltas.slice(i, i + CHUNK);
    upserts.push(
      db
        .insertInto('rollup_nps_location_daily')
        .values(
          part.map((d) => ({
            organisation_id: d.organisationId,
            day: d.day,
            location_id: d.locationId,
            shard,
            ...scoreValues(d.counts),
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(['organisation_id', 'day', 'location_id', 'shard'])
            .doUpdateSet(scoreSet('rollup_nps_location_daily')),
        ),
    );
  }
  return upserts;
}

/** `sum(case when score = k then 1 else 0 end) as sk` for k = 0 … 10, over the answers. */
const countsFromAnswers = SCORE_COLUMNS.map(
  (s, k) => sql`sum(case when score = ${sql.lit(k)} then 1 else 0 end) as ${sql.ref(s)}`,
);

/**
 * Rebuilds one organisation's rollups from its answers: delete every shard, then one grouped insert
 * per local day into shard 0 (each a range on the answers' (organisation, answered_at) index — the shape a time-partitioned
 * answers table serves best). One transaction, so readers see the old rollups until the new ones
 * are complete; on PostgreSQL the rollup tables are locked against concurrent upkeep meanwhile (an
 * answer arriving waits, then adds its count to the rebuilt rows).
 *
 * `days` are the local midnights starting every day to rebuild, plus the end of the last one;
 * `weeks` likewise the Monday local midnights of every week that holds one of those days, plus the
 * end of the last one.
 */
export async function rebuildOrganisation(
  db: Db,
  organisationId: string,
  days: readonly number[],
  weeks: readonly number[],
): Promise<void> {
  await db.kysely.transaction().execute(async (trx) => {
    if (db.dialect === 'postgres') {
      // In the order an answer's transaction writes them (the funnel by the invitations' trigger,
      // then the NPS rollups), or a rebuild starting between the two deadlocks with the answer.
      await sql`lock table rollup_invitation_funnel, rollup_nps_daily, rollup_nps_employee_daily,
        rollup_nps_employee_weekly, rollup_nps_location_daily in exclusive mode`.execute(trx);
    }
    await trx
      .deleteFrom('rollup_nps_daily')
      .where('organisation_id', '=', organisationId)
      .execute();
    await trx
      .deleteFrom('rollup_nps_employee_daily')
      .where('organisation_id', '=', organisationId)
      .execute();
    await trx
      .deleteFrom('rollup_nps_employee_weekly')
      .where('organisation_id', '=', organisationId)
      .execute();
    await trx
      .deleteFrom('rollup_nps_location_daily')
      .where('organisation_id', '=', organisationId)
      .execute();
    await rebuildFunnel(trx, organisationId);
    for (let i = 0; i + 1 < days.length; i++) {
      const start = days[i] ?? 0;
      const end = days[i + 1] ?? 0;
      await sql`insert into rollup_nps_daily
          (organisation_id, day, survey_id, channel, segment, shard, ${sql.join(SCORE_COLUMNS.map((s) => sql.ref(s)))})
        select organisation_id, ${start}, survey_id, channel, coalesce(segment, ''), 0, ${sql.join(countsFromAnswers)}
        from responses
        where organisation_id = ${organisationId} and answered_at >= ${start} and answered_at < ${end}
        group by organisation_id, survey_id, channel, coalesce(segment, '')`.execute(trx);
      await sql`insert into rollup_nps_employee_daily
          (organisation_id, day, employee_id, shard, ${sql.join(SCORE_COLUMNS.map((s) => sql.ref(s)))})
        select organisation_id, ${start}, owner_employee_id, 0, ${sql.join(countsFromAnswers)}
        from responses
        where organisation_id = ${organisationId} and answered_at >= ${start} and answered_at < ${end}
          and owner_employee_id is not null
        group by organisation_id, owner_employee_id`.execute(trx);
      await sql`insert into rollup_nps_location_daily
          (organisation_id, day, location_id, shard, ${sql.join(SCORE_COLUMNS.map((s) => sql.ref(s)))})
        select organisation_id, ${start}, location_id, 0, ${sql.join(countsFromAnswers)}
        from responses
        where organisation_id = ${organisationId} and answered_at >= ${start} and answered_at < ${end}
          and location_id is not null
        group by organisation_id, location_id`.execute(trx);
    }
    // The weekly grain: the day rows just counted from the answers, summed per week (the same
    // counts, without reading the answers a second time).
    for (let i = 0; i + 1 < weeks.length; i++) {
      const start = weeks[i] ?? 0;
      const end = weeks[i + 1] ?? 0;
      await sql`insert into rollup_nps_employee_weekly
          (organisation_id, week, employee_id, shard, ${sql.join(SCORE_COLUMNS.map((s) => sql.ref(s)))})
        select organisation_id, ${start}, employee_id, 0,
          ${sql.join(SCORE_COLUMNS.map((s) => sql`sum(${sql.ref(s)})`))}
        from rollup_nps_employee_daily
        where organisation_id = ${organisationId} and day >= ${start} and day < ${end}
        group by organisation_id, employee_id`.execute(trx);
    }
  });
}

/** First and last answer of an organisation (for the rebuild's range of days). */
export async function answerSpan(db: Executor, organisationId: string) {
  const row = await db
    .selectFrom('responses')
    .select((eb) => [eb.fn.min('answered_at').as('first'), eb.fn.max('answered_at').as('last')])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  const first = row?.first;
  const last = row?.last;
  return first === null || first === undefined || last === null || last === undefined
    ? null
    : { first: Number(first), last: Number(last) };
}

/** Every organisation (the rebuild of all walks these; one without answers gets empty rollups). */
export async function allOrganisationIds(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('organisations').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

// ---- Reads ----

/** What the daily rollup can filter on. Days are local midnights; `toDay` is exclusive. */
export interface DailyFilter {
  organisationId: string;
  fromDay?: number | undefined;
  toDay?: number | undefined;
  surveyId?: string | undefined;
  channel?: ResponseChannel | undefined;
  segment?: string | undefined;
}

export type DailyDimension = 'day' | 'survey' | 'channel' | 'segment';

const sumScores = (table: 'd' | 'e') =>
  SCORE_COLUMNS.map((s) => sql<number>`coalesce(sum(${sql.ref(`${table}.${s}`)}), 0)`.as(s));

function dimensionColumn(dimension: DailyDimension): RawBuilder<string | number> {
  switch (dimension) {
    case 'day':
      return sql<number>`d.day`;
    case 'survey':
      return sql<string>`d.survey_id`;
    case 'channel':
      return sql<string>`d.channel`;
    case 'segment':
      return sql<string>`d.segment`;
  }
}

function dailyQuery(db: Executor, f: DailyFilter) {
  let q = db.selectFrom('rollup_nps_daily as d').where('d.organisation_id', '=', f.organisationId);
  if (f.fromDay !== undefined) q = q.where('d.day', '>=', f.fromDay);
  if (f.toDay !== undefined) q = q.where('d.day', '<', f.toDay);
  if (f.surveyId) q = q.where('d.survey_id', '=', f.surveyId);
  if (f.channel) q = q.where('d.channel', '=', f.channel);
  if (f.segment !== undefined) q = q.where('d.segment', '=', f.segment);
  return q;
}

export type ScoreRow = Record<(typeof SCORE_COLUMNS)[number], number>;

/** Score counts over the filter, from the daily rollup. */
export async function dailyTotals(db: Executor, f: DailyFilter): Promise<ScoreRow> {
  const row = await dailyQuery(db, f).select(sumScores('d')).executeTakeFirst();
  return normalise(row);
}

/** Score counts per value of a dimension (day, survey, channel, segment). */
export async function dailyGrouped(
  db: Executor,
  f: DailyFilter,
  dimension: DailyDimension,
): Promise<Array<ScoreRow & { key: string | number }>> {
  const column = dimensionColumn(dimension);
  const rows = await dailyQuery(db, f)
    .select([column.as('key'), ...sumScores('d')])
    .groupBy(column)
    .execute();
  return rows.map((r) => ({ ...normalise(r), key: r.key }));
}

export interface EmployeeFilter {
  organisationId: string;
  fromDay?: number | undefined;
  toDay?: number | undefined;
  employeeId?: string | undefined;
}

function employeeQuery(db: Executor, f: EmployeeFilter) {
  let q = db
    .selectFrom('rollup_nps_employee_daily as e')
    .where('e.organisation_id', '=', f.organisationId);
  if (f.fromDay !== undefined) q = q.where('e.day', '>=', f.fromDay);
  if (f.toDay !== undefined) q = q.where('e.day', '<', f.toDay);
  if (f.employeeId) q = q.where('e.employee_id', '=', f.employeeId);
  return q;
}

/** Score counts of one account manager (or all with one), from the employee rollup. */
export async function employeeTotals(db: Executor, f: EmployeeFilter): Promise<ScoreRow> {
  const row = await employeeQuery(db, f).select(sumScores('e')).executeTakeFirst();
  return normalise(row);
}

/**
 * How a period of whole local days `[fromDay, toDay)` splits over the employee rollups: the whole
 * weeks inside it from the weekly grain, the days before the first and after the last whole week
 * from the daily grain. An open bound is open on the weeks (every week before, or after, holds
 * only days of the period).
 */
export function splitWeeks(
  fromDay: number | undefined,
  toDay: number | undefined,
): {
  weeks: { from: number | undefined; to: number | undefined } | null;
  days: Array<{ from: number | undefined; to: number | undefined }>;
} {
  const firstWeek =
    fromDay === undefined
      ? undefined
      : startOfLocalWeek(fromDay) === fromDay
        ? fromDay
        : addLocalDays(startOfLocalWeek(fromDay), 7);
  const endWeek = toDay === undefined ? undefined : startOfLocalWeek(toDay);
  if (firstWeek !== undefined && endWeek !== undefined && firstWeek >= endWeek) {
    return { weeks: null, days: [{ from: fromDay, to: toDay }] };
  }
  const days: Array<{ from: number | undefined; to: number | undefined }> = [];
  if (fromDay !== undefined && firstWeek !== undefined && fromDay < firstWeek) {
    days.push({ from: fromDay, to: firstWeek });
  }
  if (toDay !== undefined && endWeek !== undefined && endWeek < toDay) {
    days.push({ from: endWeek, to: toDay });
  }
  return { weeks: { from: firstWeek, to: endWeek }, days };
}

/**
 * The employee rollup rows of a filter, as one row source (`employee_id`, s0 … s10): whole weeks
 * from the weekly grain, the days at either end from the daily grain (see `splitWeeks`).
 */
function employeeRows(f: EmployeeFilter) {
  const { weeks, days } = splitWeeks(f.fromDay, f.toDay);
  const scores = sql.join(SCORE_COLUMNS.map((s) => sql.ref(s)));
  const employee = f.employeeId ? sql` and employee_id = ${f.employeeId}` : sql``;
  const parts: RawBuilder<unknown>[] = [];
  if (weeks) {
    const range = sql.join(
      [
        ...(weeks.from !== undefined ? [sql`week >= ${weeks.from}`] : []),
        ...(weeks.to !== undefined ? [sql`week < ${weeks.to}`] : []),
      ].map((c) => sql` and ${c}`),
      sql``,
    );
    parts.push(sql`select employee_id, ${scores} from rollup_nps_employee_weekly
      where organisation_id = ${f.organisationId}${range}${employee}`);
  }
  if (days.length > 0) {
    const ranges = sql.join(
      days.map((d) => {
        const c = [
          ...(d.from !== undefined ? [sql`day >= ${d.from}`] : []),
          ...(d.to !== undefined ? [sql`day < ${d.to}`] : []),
        ];
        return c.length === 0 ? sql`1 = 1` : sql`(${sql.join(c, sql` and `)})`;
      }),
      sql` or `,
    );
    parts.push(sql`select employee_id, ${scores} from rollup_nps_employee_daily
      where organisation_id = ${f.organisationId} and (${ranges})${employee}`);
  }
  return sql.join(parts, sql` union all `);
}

const summedScores = sql.join(
  SCORE_COLUMNS.map((s) => sql`coalesce(sum(${sql.ref(`u.${s}`)}), 0) as ${sql.ref(s)}`),
);

/**
 * Score counts per account manager, or per team (joined on the employee), from the weekly and
 * daily employee rollups; or per day of one account manager, from the daily one.
 */
export async function employeeGrouped(
  db: Executor,
  f: EmployeeFilter,
  dimension: 'employee' | 'day' | 'team',
): Promise<Array<ScoreRow & { key: string | number }>> {
  if (dimension === 'day') {
    const column = sql<number>`e.day`;
    const rows = await employeeQuery(db, f)
      .select([column.as('key'), ...sumScores('e')])
      .groupBy(column)
      .execute();
    return rows.map((r) => ({ ...normalise(r), key: r.key }));
  }
  const rows =
    dimension === 'team'
      ? await sql<Record<string, unknown> & { key: string }>`
          select coalesce(emp.team, '') as key, ${summedScores}
          from (${employeeRows(f)}) u
          inner join employees emp
            on emp.id = u.employee_id and emp.organisation_id = ${f.organisationId}
          group by coalesce(emp.team, '')`.execute(db)
      : await sql<Record<string, unknown> & { key: string }>`
          select u.employee_id as key, ${summedScores}
          from (${employeeRows(f)}) u
          group by u.employee_id`.execute(db);
  return rows.rows.map((r) => ({ ...normalise(r), key: r.key }));
}

/** What the location rollup can filter on: whole local days of one organisation. */
export interface LocationFilter {
  organisationId: string;
  fromDay?: number | undefined;
  toDay?: number | undefined;
}

/** Score counts per location over whole days, from the location rollup. */
export async function locationGrouped(
  db: Executor,
  f: LocationFilter,
): Promise<Array<ScoreRow & { key: string }>> {
  let q = db
    .selectFrom('rollup_nps_location_daily as l')
    .where('l.organisation_id', '=', f.organisationId);
  if (f.fromDay !== undefined) q = q.where('l.day', '>=', f.fromDay);
  if (f.toDay !== undefined) q = q.where('l.day', '<', f.toDay);
  const rows = await q
    .select([
      'l.location_id as key',
      ...SCORE_COLUMNS.map((s) => sql<number>`coalesce(sum(${sql.ref(`l.${s}`)}), 0)`.as(s)),
    ])
    .groupBy('l.location_id')
    .execute();
  return rows.map((r) => ({ ...normalise(r), key: r.key }));
}

/** What the funnel rollup can filter on: whole UTC hours of one organisation, one survey or all. */
export interface FunnelFilter {
  organisationId: string;
  surveyId?: string | undefined;
  fromHour?: number | undefined;
  /** Exclusive. */
  toHour?: number | undefined;
}

export interface FunnelCounts {
  invited: number;
  sent: number;
  outbox: number;
  bounced: number;
  clicked: number;
  answered: number;
  answeredDelivered: number;
}

/** The response funnel's counts over whole hours, from the funnel rollup (migration 0043). */
export async function funnelTotals(db: Executor, f: FunnelFilter): Promise<FunnelCounts> {
  let q = db
    .selectFrom('rollup_invitation_funnel as f')
    .where('f.organisation_id', '=', f.organisationId);
  if (f.surveyId) q = q.where('f.survey_id', '=', f.surveyId);
  if (f.fromHour !== undefined) q = q.where('f.hour', '>=', f.fromHour);
  if (f.toHour !== undefined) q = q.where('f.hour', '<', f.toHour);
  const sum = (
    c: 'invited' | 'sent' | 'outbox' | 'bounced' | 'clicked' | 'answered' | 'answered_delivered',
  ) => sql<number>`coalesce(sum(${sql.ref(`f.${c}`)}), 0)`.as(c);
  const row = await q
    .select([
      sum('invited'),
      sum('sent'),
      sum('outbox'),
      sum('bounced'),
      sum('clicked'),
      sum('answered'),
      sum('answered_delivered'),
    ])
    .executeTakeFirst();
  return {
    invited: Number(row?.invited ?? 0),
    sent: Number(row?.sent ?? 0),
    outbox: Number(row?.outbox ?? 0),
    bounced: Number(row?.bounced ?? 0),
    clicked: Number(row?.clicked ?? 0),
    answered: Number(row?.answered ?? 0),
    answeredDelivered: Number(row?.answered_delivered ?? 0),
  };
}

/**
 * Recounts one organisation's funnel rollup from its invitations (one grouped statement; the
 * triggers of migration 0043 keep it afterwards). Run inside the rebuild's transaction.
 */
export async function rebuildFunnel(db: Executor, organisationId: string): Promise<void> {
  await db
    .deleteFrom('rollup_invitation_funnel')
    .where('organisation_id', '=', organisationId)
    .execute();
  const one = (condition: RawBuilder<unknown>) =>
    sql`sum(case when ${condition} then 1 else 0 end)`;
  await sql`insert into rollup_invitation_funnel
      (organisation_id, hour, survey_id, shard, invited, sent, outbox, bounced, clicked, answered,
        answered_delivered)
    select organisation_id, planned_at - planned_at % 3600000, survey_id, 0, count(*),
      ${one(sql`sent_at is not null`)}, ${one(sql`status = 'outbox'`)},
      ${one(sql`sent_at is not null and bounced_at is not null`)},
      ${one(sql`clicked_at is not null`)}, ${one(sql`responded_at is not null`)},
      ${one(sql`responded_at is not null and sent_at is not null and bounced_at is null`)}
    from invitations
    where organisation_id = ${organisationId} and status not in ('cancelled', 'skipped')
    group by organisation_id, planned_at - planned_at % 3600000, survey_id`.execute(db);
}

function normalise(row: Partial<Record<string, unknown>> | undefined): ScoreRow {
  return Object.fromEntries(SCORE_COLUMNS.map((s) => [s, Number(row?.[s] ?? 0)])) as ScoreRow;
}

/** Eleven counts from a rollup row, in score order. */
export function histogramOf(row: ScoreRow): number[] {
  return SCORE_COLUMNS.map((s) => row[s]);
}
