import { PostgresAdapter, sql, type RawBuilder } from 'kysely';

/**
 * Whether a Kysely handle or transaction talks to PostgreSQL: the few statements that differ by
 * database (row locks, advisory locks, partitions) ask this one question.
 */
/**
 * Whether PostgreSQL aborted this transaction to break a deadlock (40P01): nothing of it was kept,
 * and running it again is the answer when two writers met in opposite orders.
 */
export const isDeadlock = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === '40P01';

export const isPostgres = (db: { getExecutor(): { adapter: unknown } }): boolean =>
  db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * The organisation column of a statement that names its rows by their keys (`id in (...)`, a batch
 * of fifty), as a term SQLite uses no index for. SQLite plans without statistics: it takes an
 * equality on the organisation for fewer rows than a few dozen keys, and would read every row of
 * the organisation instead of the keys'. The term still keeps the statement to the organisation.
 * PostgreSQL plans with statistics, and gets the column as it is.
 */
export const organisationOfKeyed = (
  db: { getExecutor(): { adapter: unknown } },
  column = 'organisation_id',
): RawBuilder<string> =>
  isPostgres(db) ? sql<string>`${sql.ref(column)}` : sql<string>`+${sql.ref(column)}`;
