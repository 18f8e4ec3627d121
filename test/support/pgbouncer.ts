import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './pg-cluster.ts';

/**
 * A PgBouncer of the test's own (Debian package `pgbouncer`, installed by .ci/run) in front of the
 * test PostgreSQL, in transaction pooling mode with a small server pool: every database name is
 * passed through to the server. It runs as the `postgres` OS user when the test runs as root
 * (PgBouncer refuses root).
 */
export interface PgBouncer {
  port: number;
  /** A connection URL for `database` through PgBouncer. */
  url(database: string): string;
  /** A command of PgBouncer's admin console (`SHOW POOLS`, `SHOW CONFIG`, …). */
  admin(command: string): Promise<Record<string, unknown>[]>;
  log(): string;
  stop(): Promise<void>;
}

const BINARY = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => fs.existsSync(p));

/** Why PgBouncer cannot be started here, or null when it can. */
export function pgBouncerUnavailableReason(): string | null {
  if (!BINARY)
    return 'pgbouncer is not installed (Debian: apt-get install pgbouncer; .ci/run does)';
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) {
    return 'running as root and there is no `postgres` OS user to run pgbouncer as';
  }
  return null;
}

export async function startPgBouncer(
  server: { host: string; port: number; user: string },
  options: { poolSize: number },
): Promise<PgBouncer> {
  if (!BINARY) throw new Error(pgBouncerUnavailableReason() ?? 'no pgbouncer');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-pgbouncer-'));
  const port = await freePort();
  const logFile = path.join(dir, 'pgbouncer.log');
  fs.writeFileSync(path.join(dir, 'userlist.txt'), `"${server.user}" ""\n`);
  fs.writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.host} port=${server.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${path.join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${options.poolSize}`,
      'max_client_conn = 500',
      `admin_users = ${server.user}`,
      `logfile = ${logFile}`,
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    for (const f of [dir, ...fs.readdirSync(dir).map((f) => path.join(dir, f))]) {
      fs.chownSync(f, uid, gid);
    }
  }
  const ini = path.join(dir, 'pgbouncer.ini');
  const child: ChildProcess = asRoot
    ? spawn('runuser', ['-u', 'postgres', '--', BINARY, ini], { stdio: 'ignore' })
    : spawn(BINARY, [ini], { stdio: 'ignore' });
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');

  const url = (database: string) =>
    `postgres://${server.user}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const admin = async (command: string) => {
    const client = new pg.Client({ connectionString: url('pgbouncer') });
    await client.connect();
    try {
      // Without parameters node-postgres uses the simple query protocol, all the console speaks.
      return (await client.query<Record<string, unknown>>(command)).rows;
    } finally {
      await client.end();
    }
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await admin('SHOW VERSION');
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`pgbouncer did not start: ${String(error)}\n${log()}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    port,
    url,
    admin,
    log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
