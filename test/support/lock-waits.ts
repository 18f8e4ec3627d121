import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

/**
 * Race tests on PostgreSQL: one transaction does its work and stays open, another session is
 * started beside it, and the test lets the first commit only once the second is seen waiting for a
 * lock — so the interleaving is the same on every run, with no timing assumptions.
 */

/** A transaction that runs `work` and then stays open until `commit()`; `done` is its end. */
export async function heldOpen(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<unknown>,
): Promise<{ commit: () => void; done: Promise<void> }> {
  let commit = () => {};
  const committed = new Promise<void>((resolve) => (commit = resolve));
  let holding = () => {};
  const held = new Promise<void>((resolve) => (holding = resolve));
  const done = db.transaction().execute(async (trx) => {
    await work(trx);
    holding();
    await committed;
  });
  // A failing `work` ends the transaction before it holds anything: report that, not a timeout.
  await Promise.race([held, done]);
  return { commit, done };
}

/** Until a session of this database waits for a lock in a statement matching `pattern` (LIKE). */
export async function untilWaitingOnLock(
  db: Kysely<Database>,
  pattern: string,
  what: string,
): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n
      from pg_stat_activity where datname = current_database()
        and wait_event_type = 'Lock' and query like ${pattern}`.execute(db);
    if ((rows[0]?.n ?? 0) > 0) return;
    if (Date.now() > deadline) throw new Error(`${what} never waited for a lock`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
