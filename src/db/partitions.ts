import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { uuidv7Time } from '../shared/ids.ts';

/**
 * Monthly partitions on PostgreSQL (issue 13). The partition key is the primary key itself: ids are
 * UUIDv7 (src/shared/ids.ts), whose first 48 bits are the millisecond a row was created, so a range
 * of ids is a range of creation time. A month's partition holds the ids from the first id of that
 * month (UTC) up to the first id of the next. That keeps every primary key exactly as it is (the
 * rule that a partitioned table's primary key must contain the partition key holds trivially),
 * every lookup, update and delete by id touches one partition, and no query or foreign key changes.
 * The key column is collated "C", so the bounds compare as the hexadecimal text they are whatever
 * the database's locale; every column holding such an id elsewhere is collated "C" too (migration
 * 0049), or a join on it can use no index. A default partition takes ids outside every month (ids written by hand,
 * or a month the scheduled job did not create in time), so an insert never fails for want of one.
 *
 * Partitioned: invitations and webhook_deliveries — tables whose other unique keys are unique by
 * construction (a 256-bit token, a Message-ID naming its row) and may therefore carry the id too —
 * and answers (`responses`, migration 0048), whose id is derived from the key an answer is unique by
 * (its invitation, or its survey and browser: src/modules/responses/answer-ids.ts), so that the
 * primary key keeps one answer per key across every partition. Not partitioned: emails, jobs and
 * visits. Their writes rely on a unique key other than the id being unique across the whole table
 * (one email per Message-ID, a job per dedupe key, a visit per external id: ON CONFLICT and the race
 * backstops), and PostgreSQL has no global unique index on a partitioned table
 * (docs/operations.md, "Monthly partitions").
 *
 * The SQLite schema is unchanged; these functions do nothing there.
 */
export const MONTHLY_PARTITIONED_TABLES = [
  'invitations',
  'webhook_deliveries',
  'responses',
] as const;
export type PartitionedTable = (typeof MONTHLY_PARTITIONED_TABLES)[number];

/** Months ahead of the current one that the scheduled job keeps created. */
export const MONTHS_AHEAD = 2;

/** The smallest UUIDv7 of a millisecond: the lower bound of ids created at or after `ms`. */
export function uuidv7Floor(ms: number): string {
  const hex = ms.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

export { uuidv7Time };

/** Months as [year, month 1–12]; `offset` months after the month (UTC) of `ms`. */
function monthOf(ms: number, offset = 0): { year: number; month: number } {
  const d = new Date(ms);
  const index = d.getUTCFullYear() * 12 + d.getUTCMonth() + offset;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

const monthStart = (m: { year: number; month: number }) => Date.UTC(m.year, m.month - 1, 1);
const nextMonth = (m: { year: number; month: number }) => monthOf(monthStart(m), 1);

export const partitionName = (table: string, m: { year: number; month: number }): string =>
  `${table}_p${m.year}_${String(m.month).padStart(2, '0')}`;

const ident = (name: string) => sql.id(name);

const isPostgres = <DB>(db: Kysely<DB>): boolean =>
  db.getExecutor().adapter instanceof PostgresAdapter;

/** Whether `table` is partitioned in the current schema (PostgreSQL). */
async function isPartitioned<DB>(db: Kysely<DB>, table: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_partitioned_table where partrelid = to_regclass(${table})`.execute(
    db,
  );
  return (rows[0]?.n ?? 0) > 0;
}

/** Creates the partition of one month unless it exists; returns its name when it was created. */
async function createMonth<DB>(
  db: Kysely<DB>,
  table: string,
  m: { year: number; month: number },
): Promise<string | null> {
  const name = partitionName(table, m);
  const { rows } = await sql<{ r: string | null }>`select to_regclass(${name})::text as r`.execute(
    db,
  );
  if (rows[0]?.r) return null;
  const from = uuidv7Floor(monthStart(m));
  const to = uuidv7Floor(monthStart(nextMonth(m)));
  await sql`create table ${ident(name)} partition of ${ident(table)}
    for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(db);
  return name;
}

/**
 * Creates the partitions of this month and the next `monthsAhead` for every partitioned table, in
 * one transaction under an advisory lock (two callers at once would race on the catalogue).
 * Returns the partitions it created; nothing on SQLite or for a table that is not partitioned.
 */
export async function ensureMonthlyPartitions<DB>(
  db: Kysely<DB>,
  now: number,
  monthsAhead = MONTHS_AHEAD,
): Promise<string[]> {
  if (!isPostgres(db)) return [];
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(4242002)`.execute(trx);
    const created: string[] = [];
    for (const table of MONTHLY_PARTITIONED_TABLES) {
      if (!(await isPartitioned(trx, table))) continue;
      for (let i = 0; i <= monthsAhead; i++) {
        const name = await createMonth(trx, table, monthOf(now, i));
        if (name) created.push(name);
      }
    }
    return created;
  });
}

export interface MonthlyPartition {
  name: string;
  /** First millisecond of the month (UTC); null for the default partition. */
  from: number | null;
  rows?: number;
}

/** The partitions attached to `table`, oldest month first, the default partition last. */
export async function listPartitions<DB>(
  db: Kysely<DB>,
  table: PartitionedTable,
): Promise<MonthlyPartition[]> {
  const { rows } = await sql<{ name: string; bound: string }>`
    select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = to_regclass(${table})`.execute(db);
  return rows
    .map((r) => {
      const from = /FROM \('([^']+)'\)/.exec(r.bound)?.[1];
      return {
        name: r.name,
        from: from ? parseInt(from.slice(0, 8) + from.slice(9, 13), 16) : null,
      };
    })
    .sort((a, b) => (a.from ?? Infinity) - (b.from ?? Infinity));
}

/**
 * Detaches the monthly partitions of `table` whose whole month lies before `before` (retention):
 * each becomes a plain table of its own name, out of every query of the application, to archive
 * (`pg_dump -t`) and drop. Returns the detached partitions' names.
 */
export async function detachPartitionsBefore<DB>(
  db: Kysely<DB>,
  table: PartitionedTable,
  before: number,
): Promise<string[]> {
  const limit = monthStart(monthOf(before));
  const detached: string[] = [];
  for (const p of await listPartitions(db, table)) {
    if (p.from === null || monthStart(nextMonth(monthOf(p.from))) > limit) continue;
    await sql`alter table ${ident(table)} detach partition ${ident(p.name)}`.execute(db);
    detached.push(p.name);
  }
  return detached;
}

/**
 * Turns a plain table into one partitioned by month of its UUIDv7 id (migration 0020): the same
 * columns, defaults, checks and foreign keys; every index again, with the id appended to the
 * unique ones; partitions for every month from the oldest row to `monthsAhead` after `now`, and the
 * default partition; the rows copied over. Runs inside the migration's transaction.
 */
export async function partitionByMonth<DB>(
  db: Kysely<DB>,
  table: string,
  now: number,
  monthsAhead = MONTHS_AHEAD,
): Promise<void> {
  const columns = await sql<{
    name: string;
    type: string;
    not_null: boolean;
    default_expr: string | null;
  }>`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
      pg_get_expr(d.adbin, d.adrelid) as default_expr
    from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attrelid = to_regclass(${table}) and a.attnum > 0 and not a.attisdropped
    order by a.attnum`.execute(db);
  const constraints = await sql<{ name: string; type: string; def: string }>`
    select conname as name, contype as type, pg_get_constraintdef(oid) as def
    from pg_constraint where conrelid = to_regclass(${table}) and contype in ('c', 'f')`.execute(
    db,
  );
  const indexes = await sql<{ name: string; def: string; is_primary: boolean }>`
    select c.relname as name, pg_get_indexdef(i.indexrelid) as def, i.indisprimary as is_primary
    from pg_index i join pg_class c on c.oid = i.indexrelid
    where i.indrelid = to_regclass(${table})`.execute(db);
  const oldest = await sql<{ id: string | null }>`select min(id) as id from ${ident(table)}
    where id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-7'`.execute(db);

  const old = `${table}__unpartitioned`;
  await sql`alter table ${ident(table)} rename to ${ident(old)}`.execute(db);
  const columnDefs = columns.rows.map((c) =>
    c.name === 'id'
      ? sql`${ident(c.name)} text collate "C" not null`
      : sql`${ident(c.name)} ${sql.raw(c.type)}${c.not_null ? sql` not null` : sql``}${
          c.default_expr ? sql` default ${sql.raw(c.default_expr)}` : sql``
        }`,
  );
  const checks = constraints.rows
    .filter((c) => c.type === 'c')
    .map((c) => sql`constraint ${ident(c.name)} ${sql.raw(c.def)}`);
  await sql`create table ${ident(table)} (${sql.join([...columnDefs, ...checks])})
    partition by range (id)`.execute(db);

  const first = uuidv7Time(oldest.rows[0]?.id ?? '') ?? now;
  for (
    let m = monthOf(Math.min(first, now));
    monthStart(m) <= monthStart(monthOf(now, monthsAhead));
    m = nextMonth(m)
  ) {
    await createMonth(db, table, m);
  }
  await sql`create table ${ident(`${table}_pdefault`)} partition of ${ident(table)} default`.execute(
    db,
  );
  await sql`insert into ${ident(table)} select * from ${ident(old)}`.execute(db);
  await sql`drop table ${ident(old)}`.execute(db);

  for (const index of indexes.rows) {
    // `CREATE [UNIQUE] INDEX name ON schema.table USING btree (cols)`, now on the partitioned table.
    const on = index.def.replace(/ ON (ONLY )?\S+ USING /, ` ON ${table} USING `);
    if (index.is_primary) {
      await sql`alter table ${ident(table)} add constraint ${ident(index.name)} primary key (id)`.execute(
        db,
      );
    } else if (on.startsWith('CREATE UNIQUE INDEX')) {
      // A unique key must contain the partition key: the id is appended unless it is in it already
      // (the tenant key (organisation_id, id)). The others are unique by construction, or derived
      // from the id (answers, src/modules/responses/answer-ids.ts).
      const keyed = /\(([^()]*)\)(\s*(WHERE .*)?)$/.exec(on);
      const hasId = keyed?.[1]?.split(', ').includes('id') ?? false;
      await sql.raw(hasId ? on : on.replace(/\)(\s*(WHERE .*)?)$/, ', id)$1')).execute(db);
    } else {
      await sql.raw(on).execute(db);
    }
  }
  for (const fk of constraints.rows.filter((c) => c.type === 'f')) {
    await sql`alter table ${ident(table)} add constraint ${ident(fk.name)} ${sql.raw(fk.def)}`.execute(
      db,
    );
  }
}
