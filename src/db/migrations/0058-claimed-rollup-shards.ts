import { PostgresAdapter, sql, type Kysely } from 'kysely';
import {
  BLIND_SHARD,
  createFunnelFunctions,
  createFunnelTriggers,
} from './0043-invitation-funnel-rollup.ts';

/**
 * How many shards transactions can claim at once. Lowest first, so a quiet installation writes
 * shard 0 only and the readers' rows per key stay few however large this is; it only has to exceed
 * the writers at once (pools of 10 connections per process: six processes before one waits).
 */
const CLAIMABLE = 64;

/**
 * The first key of the claims' two-key advisory locks ((4242003, shard)); the one-key locks of the
 * migrations (4242001) and the partitions (4242002) live in another key space.
 */
const CLAIM_CLASS = 4242003;

/**
 * The SQL expression migration 0058's funnel triggers write their shard with (also the insight
 * bench's, which drops and re-creates them).
 */
export const CLAIMED_SHARD = 'loyaal_rollup_shard()';

/**
 * Claimed rollup shards (issue 13, answers through several app processes on one PostgreSQL). The
 * rollups are striped over shards so that concurrent transactions do not queue behind each other's
 * row lock (migration 0024), but each transaction chose its shard blindly — the NPS rollups round
 * robin within a process, the funnel's trigger by transaction id — so with 4 answer transactions
 * per process and 3 processes, two of them met on a shard most of the time, and the later one
 * waited for the earlier one's commit (`Lock:transactionid` on the funnel upsert and the rollup
 * upserts was the first wait of the three-process bench).
 *
 * Now a transaction claims the lowest free shard with a transaction-scoped advisory lock (which
 * PgBouncer's transaction mode keeps) the first time it writes a rollup, and keeps it in a
 * transaction-local setting for its other rollup writes: no two transactions write the same
 * shard while at most 64 run at once, and a quiet installation writes shard 0 only (a key's rows
 * stay few, for the readers, who sum over them). Past 64 at once, a transaction waits for the
 * shard its transaction id names to be free and claims it then, so even then no two transactions
 * write one shard together. SQLite has one writer: shard 0, nothing to create.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql
    .raw(
      `create function loyaal_rollup_shard() returns smallint language plpgsql volatile as $$
      declare
        kept text := current_setting('loyaal.rollup_shard', true);
        s integer;
      begin
        if kept is not null and kept <> '' then
          return kept::smallint;
        end if;
        for s in 0 .. ${CLAIMABLE - 1} loop
          if pg_try_advisory_xact_lock(${CLAIM_CLASS}, s) then
            perform set_config('loyaal.rollup_shard', s::text, true);
            return s;
          end if;
        end loop;
        s := (txid_current() % ${CLAIMABLE})::integer;
        perform pg_advisory_xact_lock(${CLAIM_CLASS}, s);
        perform set_config('loyaal.rollup_shard', s::text, true);
        return s;
      end $$`,
    )
    .execute(db);
  await createFunnelFunctions(db, CLAIMED_SHARD);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await createFunnelFunctions(db, BLIND_SHARD);
  await sql`drop function loyaal_rollup_shard()`.execute(db);
}

/** The funnel's triggers as this migration leaves them (for the insight bench). */
export async function createClaimingFunnelTriggers(db: Kysely<unknown>): Promise<void> {
  await createFunnelTriggers(db, CLAIMED_SHARD);
}
