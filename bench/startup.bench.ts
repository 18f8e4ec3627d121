import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchSqlite, report, sqliteSkipped } from './support.ts';

/**
 * Start-up: from spawning `node src/cli/main.ts serve` to the first 200 from /health, on an
 * existing (migrated) SQLite database — what a restart costs. The reference is a bare Node process
 * that prints and exits, measured in the same run. Five runs each; the median is reported.
 */
async function timeUntil(args: string[], env: Record<string, string>, port?: number) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, LOG_LEVEL: 'warn', WORKER: 'off', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    if (port === undefined) {
      await once(child, 'exit');
      return performance.now() - started;
    }
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function run(): Promise<void> {
  if (!benchSqlite()) {
    sqliteSkipped('startup');
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'loyaal-start-'));
  try {
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'loyaal.db')}` };
    const port = 20000 + Math.floor(Math.random() * 20000);
    // The first start creates and migrates the database; the ones measured are restarts.
    await timeUntil(['src/cli/main.ts', 'serve'], { ...env, PORT: String(port) }, port);
    const serve: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < 5; i++) {
      serve.push(
        await timeUntil(['src/cli/main.ts', 'serve'], { ...env, PORT: String(port) }, port),
      );
      bare.push(await timeUntil(['-e', 'console.log(1)'], {}));
    }
    report('server_start_to_health_ms', median(serve), 'ms');
    report('node_bare_start_ms', median(bare), 'ms');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
