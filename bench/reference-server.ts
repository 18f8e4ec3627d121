/**
 * The references of issue 13's throughput targets: the least a server can do for the request. A
 * Fastify server (the framework Loyaal uses, the same Node flags) with one route:
 *
 *   REFERENCE_MODE=plain    `POST /r/:token` with `{ score }`: one narrow row INSERTed and committed
 *                           on its own, 200 — no invitation lookup, no validation beyond the score,
 *                           no rollups, no closed loop
 *   REFERENCE_MODE=grouped  the same, the requests that arrive together committed together (group
 *                           commit), each answered after its group's commit, as Loyaal's answer
 *                           writer does
 *   REFERENCE_MODE=static   `GET /page`: the JSON in the file REFERENCE_BODY_FILE, sent as it is —
 *                           what serving a page of that size costs without reading or rendering it
 *
 * On SQLite the database is set up as Loyaal's (WAL, synchronous=NORMAL); on PostgreSQL the pool
 * has Loyaal's default size. The issue's figures were measured against these two (SQLite ~25,000
 * grouped; PostgreSQL ~5,700 plain and ~14,500 grouped); the responses suite prints them beside
 * the answer figures, so a target reads as a share of what the machine can do at all.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';

const url = process.env.DATABASE_URL ?? '';
const mode = process.env.REFERENCE_MODE ?? 'plain';
const port = Number(process.env.PORT ?? 0);

type Row = readonly [token: string, score: number, at: number];
type Store = (rows: readonly Row[]) => Promise<void>;

async function openStore(): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(
      'create table if not exists reference_answers (id integer primary key, token text not null, score integer not null, created_at integer not null)',
    );
    const insert = db.prepare(
      'insert into reference_answers (token, score, created_at) values (?, ?, ?)',
    );
    const many = db.transaction((rows: readonly Row[]) => {
      for (const row of rows) insert.run(...row);
    });
    return (rows) => {
      many(rows);
      return Promise.resolve();
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query(
    'create table if not exists reference_answers (id bigserial primary key, token text not null, score integer not null, created_at bigint not null)',
  );
  return async (rows) => {
    const values = rows.map((_, i) => `($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3})`).join(', ');
    await pool.query(
      `insert into reference_answers (token, score, created_at) values ${values}`,
      rows.flat(),
    );
  };
}

/** Group commit: the rows that arrive before the next turn of the event loop, in one commit. */
function grouped(store: Store): (row: Row) => Promise<void> {
  let waiting: { row: Row; resolve: () => void; reject: (error: Error) => void }[] = [];
  return (row) =>
    new Promise((resolve, reject) => {
      if (waiting.length === 0) {
        setImmediate(() => {
          const group = waiting;
          waiting = [];
          store(group.map((w) => w.row)).then(
            () => group.forEach((w) => w.resolve()),
            (error: unknown) => group.forEach((w) => w.reject(error as Error)),
          );
        });
      }
      waiting.push({ row, resolve, reject });
    });
}

const app = Fastify({ logger: false });
app.get('/health', () => ({ ok: true }));

if (mode === 'static') {
  const body = readFileSync(process.env.REFERENCE_BODY_FILE ?? '', 'utf8');
  app.get('/page', (_request, reply) =>
    reply.header('content-type', 'application/json; charset=utf-8').send(body),
  );
} else {
  const store = await openStore();
  const save = mode === 'grouped' ? grouped(store) : (row: Row) => store([row]);
  app.post<{ Params: { token: string }; Body: { score?: unknown } }>(
    '/r/:token',
    async (request, reply) => {
      const score = request.body.score;
      if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 10) {
        return reply.status(422).send({ error: 'score' });
      }
      await save([request.params.token, score, Date.now()]);
      return { ok: true };
    },
  );
}
await app.listen({ port, host: '127.0.0.1' });
// A clean exit on SIGTERM, so that `BENCH_CPU_PROF` can write the profile.
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
