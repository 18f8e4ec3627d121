import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster that a test owns: its own data directory in a temp dir and its own
 * port, so the test may stop, start and kill it without touching the shared server. Built from the
 * PostgreSQL server binaries (`initdb`, `pg_ctl`) that Debian's `postgresql` package installs under
 * /usr/lib/postgresql/<version>/bin. `initdb` refuses to run as root, so as root the cluster runs as
 * the `postgres` OS user (through `runuser`).
 */
export interface PgCluster {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  url: string;
  start(): void;
  /** Fast shutdown: open connections are terminated, as in a restart of the server. */
  stop(): void;
  /** Stops the cluster (if running) and deletes its directory. Safe to call twice. */
  destroy(): void;
}

function findBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs
      .readdirSync(root)
      .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(root, versions[0], 'bin');
  }
  const found = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const dir = found.status === 0 ? found.stdout.trim() : '';
  return dir && fs.existsSync(path.join(dir, 'initdb')) ? dir : null;
}

function postgresUser(): { uid: number; gid: number } | null {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Why a throwaway cluster cannot be made on this machine, or null when it can. The caller skips
 * its test with this sentence, visibly.
 */
export function clusterUnavailableReason(): string | null {
  if (!findBinDir()) {
    return 'no PostgreSQL server binaries (initdb, pg_ctl) found under /usr/lib/postgresql or by pg_config';
  }
  if (process.getuid?.() === 0 && !postgresUser()) {
    return 'running as root and there is no `postgres` OS user to run initdb as';
  }
  return null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Creates and starts a cluster on a free port. Throws with initdb's output when that fails. With
 * `replicaOf`, the cluster is a streaming replica of that (running) cluster instead: a copy made by
 * `pg_basebackup -R`, which then follows the primary's WAL as a hot standby.
 */
export async function createPgCluster(opts: { replicaOf?: PgCluster } = {}): Promise<PgCluster> {
  const bin = findBinDir();
  if (!bin) throw new Error(clusterUnavailableReason() ?? 'no PostgreSQL binaries');
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUser() : null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'postgres.log');
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const port = await freePort();

  const run = (tool: string, args: string[]) => {
    const [command, commandArgs] = owner
      ? ['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]]
      : [path.join(bin, tool), args];
    try {
      execFileSync(command, commandArgs, { stdio: 'pipe', timeout: 60_000 });
    } catch (error) {
      const output = (error as { stderr?: Buffer; stdout?: Buffer }).stderr?.toString() ?? '';
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${tool} ${args.join(' ')} failed: ${output}\n${tail}`, { cause: error });
    }
  };

  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c max_connections=40',
  ].join(' ');
  let running = false;
  let destroyed = false;
  const cluster: PgCluster = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start() {
      run('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
      running = true;
    },
    stop() {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      running = false;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        if (running) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    if (opts.replicaOf) {
      run('pg_basebackup', [
        '-D',
        data,
        '-R',
        '-X',
        'stream',
        '-h',
        '127.0.0.1',
        '-p',
        String(opts.replicaOf.port),
        '-U',
        'postgres',
        '--no-sync',
      ]);
      cluster.start();
      return cluster;
    }
    run('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    cluster.start();
  } catch (error) {
    cluster.destroy();
    throw error;
  }
  return cluster;
}
