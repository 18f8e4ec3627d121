import { sql, type Kysely } from 'kysely';
import { isDatabaseUnavailable, openDatabase, type Db } from './database.ts';
import type { Database } from './schema.ts';

export interface ReplicaStatus {
  /** The replica answered its last check. */
  available: boolean;
  /** How far replay is behind what the replica received (0 when caught up); null when unknown. */
  lagMs: number | null;
  /**
   * Every transaction the primary committed before this moment (ms) is visible on the replica, as
   * of the last check: the check's start minus the lag. 0 when unknown.
   */
  replayedUpTo: number;
  checkedAt: number;
  error?: string;
}

/**
 * A streaming replica of the primary (`DATABASE_REPLICA_URL`) for the heavy reads of dashboards,
 * reports and exports. A timer checks it every `checkEveryMs`: whether it answers and how far it
 * lags. `reader()` picks it only while it is up, fresh enough and — for a person who just changed
 * something — has replayed that change; otherwise the primary.
 */
export interface Replica {
  db: Db;
  /** The most lag dashboards accept (REPLICA_MAX_LAG_MS); changeable while running. */
  maxLagMs: number;
  status(): ReplicaStatus;
  check(): Promise<ReplicaStatus>;
  /** The replica failed a query: read from the primary until a check finds it back. */
  markDown(error: unknown): void;
  close(): Promise<void>;
}

export interface ReplicaOptions {
  maxLagMs: number;
  checkEveryMs?: number;
  poolSize?: number;
  now?: () => number;
}

export async function openReplica(url: string, options: ReplicaOptions): Promise<Replica> {
  const db = await openDatabase(url, { poolSize: options.poolSize ?? 10 });
  if (db.dialect !== 'postgres') {
    await db.close();
    throw new Error('DATABASE_REPLICA_URL must be a PostgreSQL streaming replica');
  }
  db.onConnectionError(() => undefined);
  const now = options.now ?? Date.now;
  const checkEveryMs = options.checkEveryMs ?? 1000;
  let current: ReplicaStatus = { available: false, lagMs: null, replayedUpTo: 0, checkedAt: 0 };

  const check = async (): Promise<ReplicaStatus> => {
    const started = now();
    try {
      // Caught up when replay has reached everything received; else the age of the last replayed
      // transaction. A server that is not in recovery (a primary) is never behind itself.
      const result = await sql<{ lag_ms: number | null }>`
        select case
          when not pg_is_in_recovery() then 0
          when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
          else extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000
        end as lag_ms`.execute(db.kysely);
      const raw = result.rows[0]?.lag_ms;
      const lagMs = raw === null || raw === undefined ? null : Math.max(0, Math.round(Number(raw)));
      current = {
        available: true,
        lagMs,
        replayedUpTo: lagMs === null ? 0 : started - lagMs,
        checkedAt: now(),
      };
    } catch (error) {
      current = {
        available: false,
        lagMs: null,
        replayedUpTo: 0,
        checkedAt: now(),
        error: error instanceof Error ? error.message : String(error),
      };
    }
    return current;
  };

  await check();
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    void check().finally(() => (checking = false));
  }, checkEveryMs);
  timer.unref();

  const replica: Replica = {
    db,
    maxLagMs: options.maxLagMs,
    status: () => current,
    check,
    markDown(error) {
      current = {
        available: false,
        lagMs: null,
        replayedUpTo: 0,
        checkedAt: now(),
        error: error instanceof Error ? error.message : String(error),
      };
    },
    async close() {
      clearInterval(timer);
      await db.close();
    },
  };
  return replica;
}

export type ReadSource = 'replica' | 'primary';

/**
 * Where a dashboard read goes: the replica when it is up, lags at most `maxLagMs`, and has
 * replayed the reader's own last change (`lastWriteAt`, null when none is known); else the primary.
 */
export function chooseReader(
  primary: Db,
  replica: Replica | undefined,
  lastWriteAt: number | null,
): { db: Kysely<Database>; source: ReadSource } {
  if (replica) {
    const s = replica.status();
    if (
      s.available &&
      s.lagMs !== null &&
      s.lagMs <= replica.maxLagMs &&
      (lastWriteAt === null || s.replayedUpTo > lastWriteAt)
    ) {
      return { db: replica.db.kysely, source: 'replica' };
    }
  }
  return { db: primary.kysely, source: 'primary' };
}

/**
 * Runs a read on the chosen database; when the replica turns out to be unreachable, it is marked
 * down and the read runs again on the primary, so a dashboard never fails for the replica's sake.
 */
export async function readWith<T>(
  primary: Db,
  replica: Replica | undefined,
  lastWriteAt: number | null,
  read: (db: Kysely<Database>, source: ReadSource) => Promise<T>,
): Promise<{ value: T; source: ReadSource }> {
  const chosen = chooseReader(primary, replica, lastWriteAt);
  if (chosen.source === 'primary') {
    return { value: await read(chosen.db, 'primary'), source: 'primary' };
  }
  try {
    return { value: await read(chosen.db, 'replica'), source: 'replica' };
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    replica?.markDown(error);
    return { value: await read(primary.kysely, 'primary'), source: 'primary' };
  }
}
