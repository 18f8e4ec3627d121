import { sql, type OperationNodeSource } from 'kysely';
import type { Executor } from './database.ts';
import { isPostgres } from './dialect.ts';

/** A write built with the query builder and not yet sent. */
export type PendingWrite = OperationNodeSource & { execute(): Promise<unknown> };

/**
 * Sends writes that need not see each other's rows: on PostgreSQL as ONE statement (every write
 * but the last a data-modifying WITH query of the last; one round trip instead of one each), on
 * SQLite, which has no data-modifying WITH, one statement each, in the order given. The writes
 * must not touch one row twice (PostgreSQL leaves it undefined which change wins), and nothing
 * they return is read.
 */
export async function executeTogether(
  db: Executor,
  writes: readonly PendingWrite[],
): Promise<void> {
  const first = writes.slice(0, -1);
  const last = writes.at(-1);
  if (!last) return;
  if (!isPostgres(db) || first.length === 0) {
    for (const write of writes) await write.execute();
    return;
  }
  const queries = first.map((w, i) => sql`${sql.id(`write_${i}`)} as (${w})`);
  await sql`with ${sql.join(queries)} ${last}`.execute(db);
}
