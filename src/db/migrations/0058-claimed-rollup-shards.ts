import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { createFunnelFunctions, createFunnelTriggers } from './0043-invitation-funnel-rollup.ts';

/** How many shards a transaction can claim; more writers at once share them (and wait). */
const CLAIMABLE = 16;

/** The advisory-lock class of the shard claims (beside 4242001 migrations, 4242002 partitions). */
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
 * shard while fewer than 16 run at once, and a quiet installation writes shard 0 only (a key's
 * rows stay few, for the readers, who sum over them). Past 16 at once, a shard by transaction id,
 * waiting as before. SQLite has one writer: shard 0, nothing to create.
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
        perform set_config('loyaal.rollup_shard', s::text, true);
        return s;
      end $$`,
    )
    .execute(db);
  await createFunnelFunctions(db, CLAIMED_SHARD);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await createFunnelFunctions(db, '(txid_current() % 8)::smallint');
  await sql`drop function loyaal_rollup_shard()`.execute(db);
}

/** The funnel's triggers as this migration leaves them (for the insight bench). */
export async function createClaimingFunnelTriggers(db: Kysely<unknown>): Promise<void> {
  await createFunnelTriggers(db, CLAIMED_SHARD);
}
