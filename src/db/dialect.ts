import { PostgresAdapter } from 'kysely';

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
