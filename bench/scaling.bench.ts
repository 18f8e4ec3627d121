import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seed } from './responses.bench.ts';
import {
  benchPostgresUrl,
  load,
  postgresSkipped,
  report,
  startServerProcess,
  type LoadResult,
} from './support.ts';

/**
 * Answers per second through 1, 2 and 3 app processes on one PostgreSQL (issue 13): the same
 * `POST /r/:token` first answers as responses.bench.ts, each to a fresh invitation. With N processes,
 * N load generators (one per process, the connections split between them) stand in for a proxy
 * that spreads requests evenly, so no proxy in this process becomes the bottleneck being measured.
 * The same-run reference is GET /health through the same processes: how far the machine carries a
 * request that does nothing. On a 2-core machine running PostgreSQL, the load generator and the
 * processes together, the ratio says how much a process adds there, not on a real server.
 *
 * Beside each answers figure, the share of the busy database sessions found waiting for a lock
 * (sampled every 50 ms from `pg_stat_activity`): the part of the slowdown that would not go away
 * on a machine with cores to spare (issue 13: two answer transactions meeting on a rollup row).
 */
const CONNECTIONS = 48;
const PER_STEP = 60_000;

const ipOf = (n: number): string => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/**
 * Samples `pg_stat_activity` of `database` until the returned stop is called (again: the same
 * result), which resolves with the share waiting.
 */
function lockWaitSampler(pgUrl: string, database: string): () => Promise<number> {
  const client = new pg.Client({ connectionString: pgUrl });
  let busy = 0;
  let waiting = 0;
  let running = true;
  const sampling: Promise<void> = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query<{ busy: string; waiting: string }>(
        `select count(*) filter (where state in ('active', 'idle in transaction')) as busy,
           count(*) filter (where wait_event_type = 'Lock') as waiting
         from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
        [database],
      );
      busy += Number(rows[0]?.busy ?? 0);
      waiting += Number(rows[0]?.waiting ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })().finally(() => client.end());
  // A failed sampler is reported by stop, not as an unhandled rejection while the load runs.
  sampling.catch(() => undefined);
  let stopped: Promise<number> | undefined;
  return () =>
    (stopped ??= (async () => {
      running = false;
      await sampling;
      return busy === 0 ? 0 : (100 * waiting) / busy;
    })());
}

async function through(
  urls: string[],
  request: (url: string, index: number) => Parameters<typeof load>[0],
): Promise<LoadResult> {
  const results = await Promise.all(urls.map((url, i) => load(request(url, i))));
  return {
    rps: results.reduce((s, r) => s + r.rps, 0),
    requests: results.reduce((s, r) => s + r.requests, 0),
    p99: Math.max(...results.map((r) => r.p99)),
    errors: results.reduce((s, r) => s + r.errors, 0),
    non2xx: results.reduce((s, r) => s + r.non2xx, 0),
  };
}

export async function run(): Promise<void> {
  const pgUrl = benchPostgresUrl();
  if (!pgUrl) {
    postgresSkipped('scaling');
    return;
  }
  const name = `loyaal_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  try {
    const db = await openDatabase(databaseUrl);
    await migrateToLatest(db);
    const tokens = await seed(db, PER_STEP * 3);
    await db.close();
    const rps: number[] = [];
    let next = 0;
    for (const processes of [1, 2, 3]) {
      const servers = await Promise.all(
        Array.from({ length: processes }, () =>
          startServerProcess({ DATABASE_URL: databaseUrl, TRUST_PROXY: '1' }),
        ),
      );
      try {
        const urls = servers.map((s) => s.url);
        const connections = Math.floor(CONNECTIONS / processes);
        const health = await through(urls, (u) => ({
          url: `${u}/health`,
          connections,
          duration: 10,
        }));
        report(`scaling_health_rps_${processes}proc_postgres`, health.rps, 'req/s');
        const slice = tokens.slice(next, next + PER_STEP);
        next += PER_STEP;
        let n = 0;
        const stopSampling = lockWaitSampler(pgUrl, name);
        const answers = await through(urls, (u) => ({
          url: u,
          connections,
          duration: 10,
          requests: [
            {
              method: 'POST',
              setupRequest: (req) => {
                const i = n++;
                return {
                  ...req,
                  path: `/r/${slice[i % slice.length]}`,
                  headers: { 'content-type': 'application/json', 'x-forwarded-for': ipOf(i) },
                  body: JSON.stringify({ score: i % 11 }),
                };
              },
            },
          ],
        })).finally(stopSampling);
        const lockWaitShare = await stopSampling();
        if (answers.non2xx > 0 || answers.errors > 0) {
          console.error(`warning: ${answers.non2xx} non-2xx, ${answers.errors} errors`);
        }
        if (n > slice.length) console.error(`warning: ${n - slice.length} repeated answers`);
        rps.push(answers.rps);
        report(`scaling_answers_rps_${processes}proc_postgres`, answers.rps, 'req/s');
        report(`scaling_answers_p99_${processes}proc_postgres`, answers.p99, 'ms');
        report(`scaling_answers_lock_waits_${processes}proc_postgres`, lockWaitShare, '%');
        report(
          `scaling_answers_ratio_${processes}proc_postgres`,
          answers.rps / (rps[0] ?? answers.rps),
          'x',
        );
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
