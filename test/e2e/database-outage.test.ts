import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { enqueue } from '../../src/platform/jobs/define-job.ts';
import { invitationSendJob } from '../../src/modules/invitations/invitations.jobs.ts';
import {
  clusterUnavailableReason,
  createPgCluster,
  freePort,
  type PgCluster,
} from '../support/pg-cluster.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const unavailable = clusterUnavailableReason();
if (unavailable) {
  console.warn(`\n⚠ database-outage test SKIPPED: ${unavailable}\n`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Finding 1 of the probe (issue 7): losing a PostgreSQL connection killed the process for good (an
 * unhandled 'error' event of the pool). A real `loyaal serve` process (HTTP and the inline worker)
 * runs against a PostgreSQL cluster that this test owns, so it can terminate the server's
 * connections and restart the server under it: the process lives through both, answers a clear 503
 * while the database is gone and serves again — app and worker — seconds after it is back.
 */
describe.skipIf(unavailable !== null)('a PostgreSQL restart under a running server', () => {
  let cluster: PgCluster;
  let child: ChildProcess;
  let base: string;
  let tmp: string;
  const output: string[] = [];

  const alive = () => child.exitCode === null && child.signalCode === null;
  const died = () =>
    `the server process died (${child.exitCode ?? child.signalCode}):\n${output.join('').slice(-3000)}`;

  async function get(url: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${base}${url}`, { headers: { 'accept-language': 'en' } });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body };
  }

  /** Polls until `check` holds, failing at once if the server process has died. */
  async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      if (!alive()) throw new Error(died());
      if (await check().catch(() => false)) return Date.now() - started;
      if (Date.now() - started > timeoutMs)
        throw new Error(`timed out\n${output.join('').slice(-3000)}`);
      await sleep(100);
    }
  }

  /** Enqueues a job the worker finishes at once (a send job without an invitation is skipped). */
  async function workerRunsAJob(timeoutMs: number): Promise<void> {
    const db = await openDatabase(cluster.url, { poolSize: 1 });
    try {
      const before = Date.now();
      await enqueue(
        db.kysely,
        invitationSendJob,
        { invitationId: 'none' },
        { organisationId: null, now: before },
      );
      const { id } = await db.kysely
        .selectFrom('jobs')
        .select('id')
        .where('created_at', '=', before)
        .where('type', '=', invitationSendJob.type)
        .executeTakeFirstOrThrow();
      await until(async () => {
        const job = await db.kysely
          .selectFrom('jobs')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirst();
        return job?.status === 'done';
      }, timeoutMs);
    } finally {
      await db.close();
    }
  }

  async function terminateServerConnections(): Promise<number> {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      const result = await client.query<{ pid: number }>(
        `select pg_terminate_backend(pid) as pid from pg_stat_activity
          where pid <> pg_backend_pid() and backend_type = 'client backend'`,
      );
      return result.rowCount ?? 0;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    cluster = await createPgCluster();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-outage-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['src/cli/main.ts', 'serve'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATABASE_URL: cluster.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: tmp,
        WORKER: 'inline',
        LOG_LEVEL: 'warn',
      },
    });
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    await until(async () => (await get('/api/v1/setup')).status === 200, 60_000);
  }, 120_000);

  afterAll(async () => {
    if (child && alive()) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    cluster?.destroy();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lives through the termination of its connections and keeps serving', async () => {
    await workerRunsAJob(10_000);
    // Several requests at once, so the pool holds more than one idle connection.
    await Promise.all(Array.from({ length: 4 }, () => get('/api/v1/setup')));
    expect(await terminateServerConnections()).toBeGreaterThan(0);
    await sleep(500);
    expect(alive(), died()).toBe(true);
    const res = await get('/api/v1/setup');
    expect(res).toEqual({ status: 200, body: { needsSetup: true } });
    await workerRunsAJob(10_000);
  });

  it('answers 503 while PostgreSQL is down, and serves again seconds after it is back', async () => {
    cluster.stop();
    // Long enough for the worker to poll a few times against the missing database.
    await sleep(1500);
    expect(alive(), died()).toBe(true);
    const gap = await get('/api/v1/setup');
    expect(gap.status).toBe(503);
    expect(gap.body).toEqual({
      error: {
        code: 'database_unavailable',
        message: expect.stringMatching(/database/i) as unknown,
      },
    });
    // The health check says the process is up; it does not touch the database.
    expect((await get('/health')).status).toBe(200);

    cluster.start();
    const recovered = await until(async () => (await get('/api/v1/setup')).status === 200, 10_000);
    expect(recovered).toBeLessThan(10_000);
    await workerRunsAJob(10_000);
    expect(alive(), died()).toBe(true);
  });
});
