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
 * Counters every process shares: atomic upserts on both databases (a row is locked for the
 * statement only), which start a new window when the old one has ended. Ended windows are deleted
 * now and then by whichever process counts.
 *
 * Hits that arrive within one event-loop turn (and any that queue up while a statement is in
 * flight) go to the database together: one multi-row upsert, keys in a stable order (two
 * processes' statements cannot deadlock), a key hit n times adding n at once; each hit then gets
 * its own number within that key's new count. Every attempt is still counted before its request
 * goes on, but a burst of requests costs one statement (one commit on PostgreSQL) instead of one
 * each.
 */
export function databaseRateCounter(db: Db, cleanEvery = 1000): RateCounter {
  let hits = 0;
  let queue: PendingHit[] = [];
  let scheduled = false;
  let inFlight = false;

  const schedule = () => {
    if (scheduled || inFlight || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const batch = queue.slice(0, 500);
      queue = queue.slice(batch.length);
      inFlight = true;
      void countBatch(db, batch).finally(() => {
        inFlight = false;
        schedule();
      });
    });
  };

  return {
    store: 'database',
    hit(key, windowMs, now) {
      if (++hits % cleanEvery === 0) {
        // Housekeeping must never fail the request that happened to trigger it.
        db.kysely
          .deleteFrom('rate_limits')
          .where('expires_at', '<', now)
          .execute()
          .catch(() => undefined);
      }
      return new Promise<RateCount>((resolve, reject) => {
        queue.push({ key: storedKey(key), windowMs, now, resolve, reject });
        schedule();
      });
    },
  };
}

interface PendingHit {
  key: string;
  windowMs: number;
  now: number;
  resolve(count: RateCount): void;
  reject(error: unknown): void;
}

async function countBatch(db: Db, batch: readonly PendingHit[]): Promise<void> {
  const byKey = new Map<string, PendingHit[]>();
  for (const h of batch) byKey.set(h.key, [...(byKey.get(h.key) ?? []), h]);
  const keys = [...byKey.keys()].sort();
  try {
    const values = keys.map((key) => {
      const group = byKey.get(key) ?? [];
      const now = Math.max(...group.map((h) => h.now));
      const windowMs = group[0]?.windowMs ?? 0;
      return sql`(${key}, ${group.length}, ${now}, ${now + windowMs})`;
    });
    const result = await sql<{ key: string; count: number; expires_at: number }>`
      insert into rate_limits (key, count, window_start, expires_at)
      values ${sql.join(values)}
      on conflict (key) do update set
        count = case when rate_limits.expires_at <= excluded.window_start then excluded.count
                     else rate_limits.count + excluded.count end,
        window_start = case when rate_limits.expires_at <= excluded.window_start
                            then excluded.window_start else rate_limits.window_start end,
        expires_at = case when rate_limits.expires_at <= excluded.window_start
                          then excluded.expires_at else rate_limits.expires_at end
      returning key, count, expires_at`.execute(db.kysely);
    const rows = new Map(result.rows.map((r) => [r.key, r]));
    for (const key of keys) {
      const group = byKey.get(key) ?? [];
      const row = rows.get(key);
      if (!row) {
        for (const h of group) h.reject(new Error('rate limit upsert returned no row'));
        continue;
      }
      // The key's hits in arrival order end at the new count: n hits are count − n + 1 … count.
      const first = Number(row.count) - group.length + 1;
      group.forEach((h, i) =>
        h.resolve({ count: first + i, resetInMs: Number(row.expires_at) - h.now }),
      );
    }
  } catch (error) {
    for (const h of batch) h.reject(error);
  }
}
