import { PostgresAdapter } from 'kysely';

/**
 * Whether a Kysely handle or transaction talks to PostgreSQL: the few statements that differ by
 * database (row locks, advisory locks, partitions) ask this one question.
 */
export const isPostgres = (db: { getExecutor(): { adapter: unknown } }): boolean =>
  db.getExecutor().adapter instanceof PostgresAdapter;
