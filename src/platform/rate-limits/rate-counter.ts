import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** Where rate-limit counters live: this process's memory, or the database every process shares. */
export type RateLimitStore = 'memory' | 'database';

export interface RateCount {
  /** Attempts under the key in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again. */
  resetInMs: number;
}

/**
 * Counts attempts per key in fixed windows: the login limits, the public pages' limits, and every
 * other `rateLimit` of a route. A limit that must hold for an attacker holds only if every app
 * process counts in one place, so with several processes (PostgreSQL) the counters live in the
 * database; one process (SQLite) keeps them in memory.
 */
export interface RateCounter {
  readonly store: RateLimitStore;
  hit(key: string, windowMs: number, now: number): Promise<RateCount>;
}

/** The default: shared in the database on PostgreSQL (many app processes), in memory on SQLite. */
export function defaultRateLimitStore(db: Db): RateLimitStore {
  return db.dialect === 'postgres' ? 'database' : 'memory';
}

export function createRateCounter(db: Db, store: RateLimitStore = defaultRateLimitStore(db)) {
  return store === 'database' ? databaseRateCounter(db) : memoryRateCounter();
}

/**
 * One process's counters. Bounded: past `maxKeys` the least recently used windows are dropped (a
 * flood of addresses cannot grow the map without end).
 */
export function memoryRateCounter(maxKeys = 10_000): RateCounter {
  const windows = new Map<string, { start: number; count: number; windowMs: number }>();
  return {
    store: 'memory',
    hit(key, windowMs, now) {
      let window = windows.get(key);
      if (!window || now - window.start >= window.windowMs) {
        window = { start: now, count: 0, windowMs };
      }
      window.count++;
      // Re-insert so the map's order is least recently used first.
      windows.delete(key);
      windows.set(key, window);
      while (windows.size > maxKeys) {
        const oldest = windows.keys().next().value;
        if (oldest === undefined) break;
        windows.delete(oldest);
      }
      return Promise.resolve({ count: window.count, resetInMs: window.start + windowMs - now });
    },
  };
}

/** The key as stored: a digest, so the table holds no client address or email address. */
export function storedKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/**
 * Counters every process shares: one upsert per attempt, atomic on both databases (the row is
 * locked for the statement only), which starts a new window when the old one has ended. Ended
 * windows are deleted now and then by whichever process counts.
 */
export function databaseRateCounter(db: Db, cleanEvery = 1000): RateCounter {
  let hits = 0;
  return {
    store: 'database',
    async hit(key, windowMs, now) {
      const result = await sql<{ count: number; expires_at: number }>`
        insert into rate_limits (key, count, window_start, expires_at)
        values (${storedKey(key)}, 1, ${now}, ${now + windowMs})
        on conflict (key) do update set
          count = case when rate_limits.expires_at <= excluded.window_start then 1
                       else rate_limits.count + 1 end,
          window_start = case when rate_limits.expires_at <= excluded.window_start
                              then excluded.window_start else rate_limits.window_start end,
          expires_at = case when rate_limits.expires_at <= excluded.window_start
                            then excluded.expires_at else rate_limits.expires_at end
        returning count, expires_at`.execute(db.kysely);
      const row = result.rows[0];
      if (!row) throw new Error('rate limit upsert returned no row');
      if (++hits % cleanEvery === 0) {
        // Housekeeping must never fail the request that happened to trigger it.
        db.kysely
          .deleteFrom('rate_limits')
          .where('expires_at', '<', now)
          .execute()
          .catch(() => undefined);
      }
      return { count: Number(row.count), resetInMs: Number(row.expires_at) - now };
    },
  };
}
