import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import autocannon from 'autocannon';

/** Prints one figure on its own line as `name: value unit`, the format `npm run bench` promises. */
export function report(name: string, value: number, unit: string): void {
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
  console.log(`${name}: ${rounded} ${unit}`);
}

export interface LoadResult {
  rps: number;
  /** Requests answered in the run. */
  requests: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Runs autocannon against a URL: 50 connections by default, for a fixed duration. */
export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ connections: 50, duration: 10, ...options });
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/**
 * Node's flags as the Dockerfile, the systemd units and `npm start` launch a server: the young
 * generation capped at 2 × 16 MB (Node 24 grows it to 2 × 64 MB on a machine with this much memory,
 * and start-up alone fills it). `test/platform/node-flags.test.ts` keeps them the same.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16'];

/**
 * Starts a Loyaal server (or another `command`, a script with its arguments) in a child process, so the load generator and the server do not share
 * one event loop (fairer on a 2-core machine). Resolves when the server answers /health.
 */
export async function startServerProcess(
  env: Record<string, string>,
  options: { nodeArgs?: readonly string[]; command?: readonly string[] } = {},
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  // BENCH_CPU_PROF=<dir> writes a CPU profile of the server, to see where a figure's time goes.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(
    process.execPath,
    [
      ...SERVER_NODE_FLAGS,
      ...profile,
      ...(options.nodeArgs ?? []),
      ...(options.command ?? ['src/cli/main.ts', 'serve']),
    ],
    {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        WORKER: 'off',
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  // Up to 60 s: a start on a loaded machine, or one that migrates a large database, takes longer.
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

/**
 * The databases a run measures: `BENCH_DATABASES=sqlite` or `postgres` (default `sqlite,postgres`),
 * to profile one database without waiting for the other.
 */
function selectedDatabases(): Set<'sqlite' | 'postgres'> {
  const names = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
  const unknown = names.filter((n) => n !== 'sqlite' && n !== 'postgres');
  if (unknown.length > 0) {
    throw new Error(`BENCH_DATABASES: unknown "${unknown.join(', ')}" (sqlite, postgres)`);
  }
  return new Set(names as ('sqlite' | 'postgres')[]);
}

/** Whether this run measures SQLite (`BENCH_DATABASES`). */
export const benchSqlite = (): boolean => selectedDatabases().has('sqlite');

/** PostgreSQL URL for benchmarks, when one is configured and PostgreSQL is selected. */
export const benchPostgresUrl = (): string | undefined =>
  selectedDatabases().has('postgres')
    ? (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL)
    : undefined;

/** Says why a suite's PostgreSQL part does not run (`what`: the part, e.g. "scaling"). */
export function postgresSkipped(what = 'PostgreSQL'): void {
  console.log(
    selectedDatabases().has('postgres')
      ? `# ${what} skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL`
      : `# ${what} skipped: BENCH_DATABASES leaves PostgreSQL out`,
  );
}

/** Says that a suite's SQLite part does not run. */
export function sqliteSkipped(what = 'SQLite'): void {
  console.log(`# ${what} skipped: BENCH_DATABASES leaves SQLite out`);
}

/**
 * CPU time (user + system, ms) that these processes have used so far, from /proc (Linux); null
 * elsewhere. Unlike requests per second, CPU per request hardly moves when other work shares the
 * machine, so a bench on a busy machine can still say what one request costs.
 */
export function cpuMsOf(pids: readonly number[]): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended; its time is gone with it.
    }
  }
  // Linux reports in clock ticks of 10 ms (USER_HZ = 100).
  return ticks * 10;
}

/** A process's resident memory in bytes, from Linux's /proc/<pid>/status. */
export interface ResidentMemory {
  /** Resident now: `anonymous` + `file` (+ shared memory, ~0 here). */
  rss: number;
  /** The kernel's high-water mark of `rss` over the process's life. */
  hwm: number;
  /** The process's own memory: Node's heap and buffers, SQLite's page cache. */
  anonymous: number;
  /**
   * Pages of mapped files: Node's binary and libraries, and on SQLite the database file read
   * through `mmap_size` — pages the kernel shares with its file cache and drops under pressure.
   */
  file: number;
}

/** The resident memory of a process (see `ResidentMemory`); null off Linux or once it ended. */
export function residentMemoryOf(pid: number): ResidentMemory | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
  const memory = {
    rss: kb('VmRSS'),
    hwm: kb('VmHWM'),
    anonymous: kb('RssAnon'),
    file: kb('RssFile'),
  };
  return Object.values(memory).every(Number.isFinite) ? memory : null;
}

/**
 * How much of one file a process holds resident through its mappings (Linux /proc/<pid>/smaps:
 * the `Rss` of every mapping of that path), in bytes; null off Linux. For SQLite's database file
 * this is what `mmap_size` keeps in the process's RSS. Reads the whole smaps: call it once, not
 * in a sampling loop.
 */
export function mappedBytesOf(pid: number, file: string): number | null {
  let smaps: string;
  try {
    smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return null;
  }
  const target = path.resolve(file);
  let inTarget = false;
  let bytes = 0;
  for (const line of smaps.split('\n')) {
    // A mapping's header: address range, permissions, offset, device, inode, then its path.
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (header) {
      inTarget = header[1] === target;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (inTarget && rss) bytes += Number(rss[1]) * 1024;
  }
  return bytes;
}

/**
 * Runs `load` against a server process and also says what one request cost that process in CPU
 * (ms; null off Linux): steadier than requests per second on a machine doing other work.
 */
export async function loadWithCpu(
  pid: number | undefined,
  options: autocannon.Options,
): Promise<LoadResult & { cpuMsPerRequest: number | null }> {
  const before = pid === undefined ? null : cpuMsOf([pid]);
  const result = await load(options);
  const after = pid === undefined ? null : cpuMsOf([pid]);
  const cpuMsPerRequest =
    before === null || after === null || result.requests === 0
      ? null
      : (after - before) / result.requests;
  return { ...result, cpuMsPerRequest };
}
