import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { isPostgres } from './dialect.ts';
import { uuidv7Time } from '../shared/ids.ts';
import { enforceTenantKeys } from './tenant-keys.ts';

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
 * and the tables whose id is derived from the key they are unique by, so that the primary key keeps
 * that key unique across every partition: answers (`responses`, migration 0048; the invitation, or
 * the survey and browser: src/modules/responses/answer-ids.ts), emails (migration 0050; the
 * Message-ID: src/modules/email/email-ids.ts) and visits (migration 0057; the organisation and the
 * visit's number, whose writers also take the organisation's visit lock before looking it up, as
 * a correction may carry another date and so another id: src/modules/visits/visit-ids.ts). Not partitioned: jobs.
 * Their writes rely on a unique key other than the id being unique across the whole table (a job
 * per dedupe key: ON CONFLICT), and PostgreSQL has no global unique index on a partitioned table
 * (docs/operations.md, "Monthly partitions").
 *
 * The SQLite schema is unchanged; these functions do nothing there.
 */
export const MONTHLY_PARTITIONED_TABLES = [
  'invitations',
  'webhook_deliveries',
  'responses',
  'emails',
  'visits',
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

/** Whether `table` is partitioned in the current schema (PostgreSQL). */
async function isPartitioned<DB>(db: Kysely<DB>, table: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_partitioned_table where partrelid = to_regclass(${table})`.execute(
    db,
  );
  return (rows[0]?.n ?? 0) > 0;
}

/** Whether a table (or partition) of that name exists in the current schema. */
async function relationExists<DB>(db: Kysely<DB>, name: string): Promise<boolean> {
  const { rows } = await sql<{ r: string | null }>`select to_regclass(${name})::text as r`.execute(
    db,
  );
  return Boolean(rows[0]?.r);
}

/** Creates the partition of one month unless it exists; returns its name when it was created. */
async function createMonth<DB>(
  db: Kysely<DB>,
  table: string,
  m: { year: number; month: number },
): Promise<string | null> {
  const name = partitionName(table, m);
  if (await relationExists(db, name)) return null;
  const from = uuidv7Floor(monthStart(m));
  const to = uuidv7Floor(monthStart(nextMonth(m)));
  await sql`create table ${ident(name)} partition of ${ident(table)}
    for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(db);
  return name;
}

/** How long partition DDL waits for a table lock before it steps back and tries again. */
export const DDL_LOCK_TIMEOUT_MS = 100;
/** Tries per month before that month counts as failed (the job then retries later). */
const DDL_TRIES = 40;

const codeOf = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;
// lock_not_available (the lock timeout), deadlock_detected
const isLockWait = (err: unknown): boolean => codeOf(err) === '55P03' || codeOf(err) === '40P01';

/**
 * Runs one step of partition DDL in its own short transaction, under the partitions' advisory
 * lock (two callers at once would race on the catalogue) and a lock timeout far below PostgreSQL's
 * deadlock check: when a lock is in the way the step gives up what it holds, waits a moment (with
 * jitter, so two waiting callers and the work in the way can pass) and tries again, up to
 * `DDL_TRIES` times; then the lock wait is thrown. Meanwhile nobody queues behind its exclusive
 * lock for longer than the timeout.
 */
async function ddlStep<DB, T>(
  db: Kysely<DB>,
  step: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(4242002)`.execute(trx);
        await sql`set local lock_timeout = ${sql.lit(`${DDL_LOCK_TIMEOUT_MS}ms`)}`.execute(trx);
        return step(trx);
      });
    } catch (err) {
      if (!isLockWait(err) || tries >= DDL_TRIES) throw err;
      const pause = Math.min(1000, 25 * 2 ** Math.min(tries, 6)) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

export interface EnsuredPartitions {
  /** The partitions created now. */
  created: string[];
  /**
   * Months that could not be created because the default partition already holds rows of them
   * (written while the month did not exist: a visit dated ahead, months without a running worker).
   * Those rows stay in the default partition, where every query still finds them; the month's
   * later rows go there too, and the months after it are created as usual.
   */
  blocked: string[];
}

/**
 * Creates the partitions of this month and the next `monthsAhead` for every partitioned table;
 * nothing on SQLite or for a table that is not partitioned.
 *
 * Creating a partition locks the parent table exclusively and then, to clone its foreign keys,
 * every table it references (share row exclusive, which waits for every open write there). Taken
 * one after the other while answers, sends and clean-ups run, such locks close a cycle with a
 * transaction that wrote a referenced table and then reads the parent: a deadlock, and PostgreSQL
 * may abort the other transaction, not this one. So each month of each table is its own
 * `ddlStep` (never one table's lock held while waiting for another's), which steps back from a
 * lock in the way and tries again, and everyone else's work goes on. The months are created two
 * ahead, so waiting costs nothing.
 * One month that cannot be created (see `blocked`), or that fails, never keeps the others from
 * being created; a failed month is thrown after the others were done, so the job retries.
 */
export async function ensureMonthlyPartitions<DB>(
  db: Kysely<DB>,
  now: number,
  monthsAhead = MONTHS_AHEAD,
): Promise<EnsuredPartitions> {
  const result: EnsuredPartitions = { created: [], blocked: [] };
  if (!isPostgres(db)) return result;
  const failed: string[] = [];
  for (const table of MONTHLY_PARTITIONED_TABLES) {
    if (!(await isPartitioned(db, table))) continue;
    for (let i = 0; i <= monthsAhead; i++) {
      const month = monthOf(now, i);
      const name = partitionName(table, month);
      try {
        const outcome = await ddlStep(db, async (trx) => {
          if (await relationExists(trx, name)) return 'exists';
          // Asked before the DDL, by the default partition's index and without the DDL's locks:
          // the DDL would scan the whole default partition under an exclusive lock to find out.
          if (await defaultHoldsMonth(trx, table, month)) return 'blocked';
          return (await createMonth(trx, table, month)) ? 'created' : 'exists';
        });
        if (outcome === 'created') result.created.push(name);
        if (outcome === 'blocked') result.blocked.push(name);
      } catch (err) {
        // check_violation: a row of this month reached the default partition meanwhile.
        if (codeOf(err) === '23514') {
          result.blocked.push(name);
          continue;
        }
        // This month failed; the others are still created, and the caller hears of it after.
        failed.push(`${name} (${err instanceof Error ? err.message : String(err)})`);
      }
    }
  }
  if (failed.length > 0) {
    const done = result.created.length ? `; created ${result.created.join(', ')}` : '';
    const kept = result.blocked.length
      ? `; kept in the default partition: ${result.blocked.join(', ')}`
      : '';
    throw new Error(`could not create ${failed.join(', ')}${done}${kept}`);
  }
  return result;
}

/** Whether the default partition of `table` holds rows of month `m` (an index probe). */
async function defaultHoldsMonth<DB>(
  db: Kysely<DB>,
  table: string,
  m: { year: number; month: number },
): Promise<boolean> {
  const fallback = `${table}_pdefault`;
  if (!(await relationExists(db, fallback))) return false;
  const found = await sql<{ one: number }>`select 1 as one from ${ident(fallback)}
    where id >= ${uuidv7Floor(monthStart(m))} and id < ${uuidv7Floor(monthStart(nextMonth(m)))}
    limit 1`.execute(db);
  return found.rows.length > 0;
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
 * (`pg_dump -t`) and drop. Each in its own short step (`ddlStep`); a partition `keep` names stays.
 * Returns the detached partitions' names.
 */
export async function detachPartitionsBefore<DB>(
  db: Kysely<DB>,
  table: PartitionedTable,
  before: number,
  keep: (partition: string) => Promise<boolean> = () => Promise.resolve(false),
): Promise<string[]> {
  const limit = monthStart(monthOf(before));
  const detached: string[] = [];
  for (const p of await listPartitions(db, table)) {
    if (p.from === null || monthStart(nextMonth(monthOf(p.from))) > limit) continue;
    if (await keep(p.name)) continue;
    // Detaching locks the parent exclusively: stepping back when a lock is in the way keeps
    // the application's queries from queueing behind it (CONCURRENTLY is not possible beside a
    // default partition).
    await ddlStep(db, (trx) =>
      sql`alter table ${ident(table)} detach partition ${ident(p.name)}`.execute(trx),
    );
    detached.push(p.name);
  }
  return detached;
}

/** How a table is made partitioned beyond the generic rules of `partitionByMonth`. */
export interface PartitionOptions {
  /**
   * Unique indexes that become plain ones (old name → new name): their key decides the id (a
   * derived id), so the primary key is what keeps it unique. Made unique with the id appended they
   * would conflict exactly when the primary key does, and an upsert settles a conflict on its
   * arbiter only (docs/operations.md, "Answers: the id is derived from the key").
   */
  plainIndexes?: Readonly<Record<string, string>>;
  /** Told after each batch of rows copied (the explicit `loyaal migrate` prints it). */
  onProgress?: (copied: number, total: number) => void;
  /** Rows copied per statement (50,000): a progress line each. */
  batchRows?: number;
  /**
   * The earliest moment the table's new ids may carry, when that can be before its oldest row (a
   * visit's id takes its organisation's creation as the floor: src/modules/visits/visit-ids.ts):
   * the months from there on get their partition too, so such rows never land in the default one.
   */
  earliestIdTime?: <DB>(db: Kysely<DB>) => Promise<number | null>;
}

/**
 * Turns a plain table into one partitioned by month of its UUIDv7 id (migration 0020): the same
 * columns (collations too), defaults, checks and foreign keys; every index again, with the id
 * appended to the unique ones (or made plain: `options.plainIndexes`); partitions for every month
 * from the oldest row to `monthsAhead` after `now`, and the default partition; the rows copied over
 * in batches in the old table's id order, each batch reported to `options.onProgress`. Runs inside
 * the caller's transaction (a migration's, or `loyaal migrate`'s for a large table).
 */
export async function partitionByMonth<DB>(
  db: Kysely<DB>,
  table: string,
  now: number,
  monthsAhead = MONTHS_AHEAD,
  options: PartitionOptions = {},
): Promise<void> {
  const columns = await sql<{
    name: string;
    type: string;
    collation: string | null;
    not_null: boolean;
    default_expr: string | null;
  }>`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
      pg_get_expr(d.adbin, d.adrelid) as default_expr,
      (select quote_ident(c.collname) from pg_collation c, pg_type t
       where c.oid = a.attcollation and t.oid = a.atttypid and a.attcollation <> t.typcollation)
        as collation
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
  const oldest = await sql<{ id: string | null }>`select min(id collate "C") as id
    from ${ident(table)} where id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-7'`.execute(db);
  const total = await sql<{ n: string }>`select count(*) as n from ${ident(table)}`.execute(db);

  const old = `${table}__unpartitioned`;
  await sql`alter table ${ident(table)} rename to ${ident(old)}`.execute(db);
  const columnDefs = columns.rows.map((c) =>
    c.name === 'id'
      ? sql`${ident(c.name)} text collate "C" not null`
      : sql`${ident(c.name)} ${sql.raw(c.type)}${
          c.collation ? sql` collate ${sql.raw(c.collation)}` : sql``
        }${c.not_null ? sql` not null` : sql``}${
          c.default_expr ? sql` default ${sql.raw(c.default_expr)}` : sql``
        }`,
  );
  const checks = constraints.rows
    .filter((c) => c.type === 'c')
    .map((c) => sql`constraint ${ident(c.name)} ${sql.raw(c.def)}`);
  await sql`create table ${ident(table)} (${sql.join([...columnDefs, ...checks])})
    partition by range (id)`.execute(db);

  const earliest = (await options.earliestIdTime?.(db)) ?? now;
  const first = Math.min(uuidv7Time(oldest.rows[0]?.id ?? '') ?? now, earliest);
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
  await copyRows(db, old, table, Number(total.rows[0]?.n ?? 0), options);
  await sql`drop table ${ident(old)}`.execute(db);

  for (const index of indexes.rows) {
    // `CREATE [UNIQUE] INDEX name ON schema.table USING btree (cols)`, now on the partitioned table.
    const on = index.def.replace(/ ON (ONLY )?\S+ USING /, ` ON ${table} USING `);
    const plain = options.plainIndexes?.[index.name];
    if (index.is_primary) {
      await sql`alter table ${ident(table)} add constraint ${ident(index.name)} primary key (id)`.execute(
        db,
      );
    } else if (plain !== undefined) {
      await sql.raw(on.replace(/^CREATE UNIQUE INDEX \S+ /, `CREATE INDEX ${plain} `)).execute(db);
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

/**
 * Copies every row of `from` into `to`, a batch at a time in `from`'s primary-key order (its own
 * collation, whatever it is: each batch ends at the id found by that order), so a large table
 * reports its progress as it goes instead of in one silent statement.
 */
async function copyRows<DB>(
  db: Kysely<DB>,
  from: string,
  to: string,
  total: number,
  { onProgress, batchRows = 50_000 }: PartitionOptions,
): Promise<void> {
  let after: string | null = null;
  let copied = 0;
  for (;;) {
    const above: RawBuilder<unknown> = after === null ? sql`true` : sql`id > ${after}`;
    const { rows }: { rows: { id: string }[] } = await sql<{
      id: string;
    }>`select id from ${ident(from)} where ${above}
      order by id offset ${batchRows - 1} limit 1`.execute(db);
    const last: string | null = rows[0]?.id ?? null;
    const upTo = last === null ? sql`true` : sql`id <= ${last}`;
    const inserted = await sql`insert into ${ident(to)}
      select * from ${ident(from)} where ${above} and ${upTo}`.execute(db);
    copied += Number(inserted.numAffectedRows ?? 0);
    onProgress?.(copied, total);
    if (last === null) return;
    after = last;
  }
}

/** Whether `table` is partitioned; false on SQLite. */
export async function isMonthlyPartitioned<DB>(db: Kysely<DB>, table: string): Promise<boolean> {
  return isPostgres(db) && isPartitioned(db, table);
}

/**
 * Tables whose migration partitions them at start only while they are small (copying a large table
 * would hold the start for minutes, its writers waiting); a larger one stays a plain table — the
 * same application code runs on it — until `loyaal migrate` converts it, with progress
 * (`partitionPending`). What each needs beyond the generic rules.
 */
export const PARTITIONED_WHEN_SMALL: Readonly<Partial<Record<PartitionedTable, PartitionOptions>>> =
  {
    // The invitation, or the survey and browser, decide the id (answer-ids.ts): plain indexes for
    // the lookups by them.
    responses: {
      plainIndexes: {
        responses_invitation_id_key: 'responses_invitation',
        responses_device: 'responses_device',
      },
    },
    // The Message-ID decides the id (email-ids.ts): a plain index for the lookups by Message-ID.
    emails: { plainIndexes: { emails_message_id_key: 'emails_message_id' } },
    // The number (external id) decides the id, under one writer per organisation (visit-ids.ts):
    // a plain index for the lookups by number. New ids are never older than their organisation.
    visits: {
      plainIndexes: { visits_org_external: 'visits_org_external' },
      earliestIdTime: async (db) => {
        const { rows } = await sql<{ id: string | null }>`select min(id collate "C") as id
          from organisations where id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-7'`.execute(db);
        return uuidv7Time(rows[0]?.id ?? '');
      },
    },
  };

/** The most rows a table of `PARTITIONED_WHEN_SMALL` may hold to be copied at start. */
export const PARTITION_AT_START_MAX_ROWS = 100_000;

/**
 * In a migration: partitions `table` (one of `PARTITIONED_WHEN_SMALL`) when it holds at most
 * `maxRows` rows; a larger table is left for `loyaal migrate`, and the log says so. Returns whether
 * it partitioned the table.
 */
export async function partitionWhenSmall<DB>(
  db: Kysely<DB>,
  table: keyof typeof PARTITIONED_WHEN_SMALL,
  now: number,
  maxRows = PARTITION_AT_START_MAX_ROWS,
): Promise<boolean> {
  if (!isPostgres(db) || (await isPartitioned(db, table))) return false;
  const { rows } = await sql<{ n: string }>`select count(*) as n
    from (select 1 from ${ident(table)} limit ${maxRows + 1}) t`.execute(db);
  if (Number(rows[0]?.n ?? 0) > maxRows) {
    console.warn(pendingNotice(table, maxRows));
    return false;
  }
  // (A unique key with organisation_id made plain is replaced by the tenant key (organisation_id,
  // id) when the migrations end: `migrateToLatest` applies the tenant rule after them.)
  await partitionByMonth(db, table, now, MONTHS_AHEAD, PARTITIONED_WHEN_SMALL[table]);
  await sql`analyze ${ident(table)}`.execute(db);
  return true;
}

const pendingNotice = (table: string, maxRows: number) =>
  `${table}: more than ${maxRows.toLocaleString('en')} rows, not partitioned by month at start ` +
  `(copying would hold the start). It works as it is; run \`loyaal migrate\` to partition it ` +
  `(docs/operations.md, "Monthly partitions").`;

/** The tables of `PARTITIONED_WHEN_SMALL` still waiting for `loyaal migrate` (PostgreSQL). */
export async function pendingPartitionings<DB>(db: Kysely<DB>): Promise<PartitionedTable[]> {
  if (!isPostgres(db)) return [];
  const pending: PartitionedTable[] = [];
  for (const table of MONTHLY_PARTITIONED_TABLES) {
    if (PARTITIONED_WHEN_SMALL[table] && !(await isPartitioned(db, table))) pending.push(table);
  }
  return pending;
}

/**
 * `loyaal migrate`'s second step: partitions each table left plain because it was large, each in
 * its own transaction under the migrations' lock (a second `loyaal migrate` or a starting process
 * waits, then finds it done). The table's readers and writers wait while its rows are copied; the
 * rest of the application does not. `log` gets a line per batch copied. Returns the tables done.
 */
export async function partitionPending<DB>(
  db: Kysely<DB>,
  now: number,
  log: (line: string) => void,
  batchRows?: number,
): Promise<PartitionedTable[]> {
  const done: PartitionedTable[] = [];
  for (const table of await pendingPartitionings(db)) {
    const converted = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(4242001)`.execute(trx);
      if (await isPartitioned(trx, table)) return false;
      const started = Date.now();
      log(`${table}: partitioning by month`);
      await partitionByMonth(trx, table, now, MONTHS_AHEAD, {
        ...PARTITIONED_WHEN_SMALL[table],
        ...(batchRows ? { batchRows } : {}),
        onProgress: (copied, total) =>
          log(
            `${table}: ${copied.toLocaleString('en')} of ${total.toLocaleString('en')} rows copied` +
              ` (${total ? Math.floor((100 * copied) / total) : 100} %)`,
          ),
      });
      // A table whose unique key with organisation_id became plain gets (organisation_id, id).
      await enforceTenantKeys(trx);
      log(`${table}: indexes made, analysing`);
      await sql`analyze ${ident(table)}`.execute(trx);
      log(`${table}: partitioned in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return true;
    });
    if (converted) done.push(table);
  }
  return done;
}
