import { afterAll, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.ts';
import {
  databaseRateCounter,
  memoryRateCounter,
  storedKey,
  type RateCounter,
} from '../../src/platform/rate-limits/rate-counter.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';

const MINUTE = 60_000;

/** The behaviour every store must have: a fixed window per key that starts again when it ends. */
function windowBehaviour(counter: () => RateCounter) {
  it('counts per key in a fixed window and starts again when the window ends', async () => {
    const c = counter();
    const t0 = 1_800_000_000_000;
    expect(await c.hit('a', MINUTE, t0)).toEqual({ count: 1, resetInMs: MINUTE });
    expect(await c.hit('a', MINUTE, t0 + 10_000)).toEqual({ count: 2, resetInMs: 50_000 });
    expect((await c.hit('b', MINUTE, t0 + 10_000)).count).toBe(1);
    expect((await c.hit('a', MINUTE, t0 + MINUTE - 1)).count).toBe(3);
    expect(await c.hit('a', MINUTE, t0 + MINUTE)).toEqual({ count: 1, resetInMs: MINUTE });
  });
}

describeEachDialect('rate counters', (dialect) => {
  windowBehaviour(() => memoryRateCounter());

  it('the memory store forgets the least recently used keys past its bound', async () => {
    const c = memoryRateCounter(2);
    await c.hit('a', MINUTE, 0);
    await c.hit('a', MINUTE, 1);
    await c.hit('b', MINUTE, 2);
    await c.hit('c', MINUTE, 3);
    expect((await c.hit('a', MINUTE, 4)).count).toBe(1);
  });

  let db: Db | undefined;
  const database = async () => (db ??= await freshDatabase(dialect));
  // Closed after the last test, whichever runs last in a shuffled order.
  afterAll(async () => db?.close());

  it('the database store counts like the memory store', async () => {
    const c = databaseRateCounter(await database());
    const t0 = 1_800_000_000_000;
    expect(await c.hit('x', MINUTE, t0)).toEqual({ count: 1, resetInMs: MINUTE });
    expect(await c.hit('x', MINUTE, t0 + 10_000)).toEqual({ count: 2, resetInMs: 50_000 });
    expect((await c.hit('y', MINUTE, t0 + 10_000)).count).toBe(1);
    expect(await c.hit('x', MINUTE, t0 + MINUTE)).toEqual({ count: 1, resetInMs: MINUTE });
  });

  it('counts a burst of hits sent together, each hit with its own number', async () => {
    const c = databaseRateCounter(await database());
    const t0 = 1_800_000_000_000;
    // 30 hits on one key and 10 on another, all in the same event-loop turn.
    const hits = await Promise.all(
      Array.from({ length: 40 }, (_, i) => c.hit(i % 4 === 3 ? 'burst-b' : 'burst-a', MINUTE, t0)),
    );
    const countsOf = (wanted: string) =>
      hits
        .filter((_, i) => (i % 4 === 3 ? 'burst-b' : 'burst-a') === wanted)
        .map((h) => h.count)
        .sort((a, b) => a - b);
    expect(countsOf('burst-a')).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(countsOf('burst-b')).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(hits.every((h) => h.resetInMs === MINUTE)).toBe(true);
    // The next hit continues where the burst ended; after the window, a new one starts.
    expect((await c.hit('burst-a', MINUTE, t0 + 1000)).count).toBe(31);
    expect((await c.hit('burst-a', MINUTE, t0 + MINUTE)).count).toBe(1);
  });

  it('stores a digest of the key, never the client address', async () => {
    const d = await database();
    await databaseRateCounter(d).hit('login-address|203.0.113.7', MINUTE, 1);
    const keys = (await d.kysely.selectFrom('rate_limits').select('key').execute()).map(
      (r) => r.key,
    );
    expect(keys).toContain(storedKey('login-address|203.0.113.7'));
    expect(keys.join(' ')).not.toContain('203.0.113');
  });

  it('deletes ended windows now and then', async () => {
    const d = await database();
    const c = databaseRateCounter(d, 3);
    await c.hit('old', MINUTE, 1000);
    await c.hit('n1', MINUTE, 10 * MINUTE);
    await c.hit('n2', MINUTE, 10 * MINUTE); // the third hit cleans up
    const deadline = Date.now() + 10_000;
    const has = async () =>
      (await d.kysely.selectFrom('rate_limits').select('key').execute()).some(
        (r) => r.key === storedKey('old'),
      );
    while ((await has()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await has()).toBe(false);
  });

  if (dialect === 'postgres') {
    it('holds across connections hitting one key at once (as several processes do)', async () => {
      const d = await database();
      // Four separate pools stand for four app processes.
      const url = process.env.TEST_DATABASE_URL ?? '';
      const pools = await Promise.all(
        [1, 2, 3, 4].map(() => openDatabase(url, { schema: d.schema, poolSize: 5 })),
      );
      try {
        const now = Date.now();
        const counts = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            databaseRateCounter(pools[i % 4] as Db).hit('race', MINUTE, now),
          ),
        );
        // Every attempt got its own number: none was lost or counted twice.
        expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 200 }, (_, i) => i + 1),
        );
      } finally {
        await Promise.all(pools.map((p) => p.kysely.destroy()));
      }
    });
  }
});
