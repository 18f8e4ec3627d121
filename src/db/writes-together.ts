import { sql, type Compilable, type OperationNodeSource } from 'kysely';
import type { Executor } from './database.ts';
import { isPostgres } from './dialect.ts';

/** A write built with the query builder and not yet sent. */
export type PendingWrite = OperationNodeSource & Compilable & { execute(): Promise<unknown> };

/**
 * The most parameters one combined statement carries. PostgreSQL's protocol counts a statement's
 * parameters in 16 bits (65,535 at most; more wrap around and the statement fails); half of that
 * leaves room, and an answer batch's writes need a few hundred.
 */
const MAX_PARAMETERS = 32_767;

/**
 * Sends writes that need not see each other's rows: on PostgreSQL as one statement (every write
 * but the last a data-modifying WITH query of the last; one round trip instead of one each), or
 * as few as `MAX_PARAMETERS` allows; on SQLite, which has no data-modifying WITH, one statement
 * each, in the order given. The writes must not touch one row twice (PostgreSQL leaves it
 * undefined which change wins), and nothing they return is read.
 */
export async function executeTogether(
  db: Executor,
  writes: readonly PendingWrite[],
): Promise<void> {
  if (!isPostgres(db)) {
    for (const write of writes) await write.execute();
    return;
  }
  let group: PendingWrite[] = [];
  let parameters = 0;
  for (const write of writes) {
    const own = write.compile().parameters.length;
    if (group.length > 0 && parameters + own > MAX_PARAMETERS) {
      await sendAsOne(db, group);
      group = [];
      parameters = 0;
    }
    group.push(write);
    parameters += own;
  }
  await sendAsOne(db, group);
}

async function sendAsOne(db: Executor, writes: readonly PendingWrite[]): Promise<void> {
  const last = writes.at(-1);
  if (!last) return;
  if (writes.length === 1) {
    await last.execute();
    return;
  }
  const queries = writes.slice(0, -1).map((w, i) => sql`${sql.id(`write_${i}`)} as (${w})`);
  await sql`with ${sql.join(queries)} ${last}`.execute(db);
}
