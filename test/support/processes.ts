import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './pg-cluster.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * A real Loyaal process (`loyaal serve` or `loyaal worker`) started from the TypeScript sources, in
 * its own process group so SIGKILL ends it and nothing it started. Its output is kept for the
 * failure message. `restart()` starts the same role with the same settings (and port) again.
 */
export interface LoyaalProcess {
  role: 'serve' | 'worker';
  name: string;
  /** `serve` only: the port it listens on. */
  port: number;
  child: ChildProcess;
  alive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
  log(): string;
}

export async function startLoyaalProcess(
  role: 'serve' | 'worker',
  name: string,
  env: Record<string, string>,
): Promise<LoyaalProcess> {
  const port = role === 'serve' ? await freePort() : 0;
  const output: string[] = [];
  const spawnChild = () => {
    const child = spawn(process.execPath, ['src/cli/main.ts', role], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        ...env,
        ...(role === 'serve' ? { PORT: String(port), WORKER: 'off' } : {}),
      },
    });
    const keep = (d: Buffer) => {
      output.push(d.toString());
      if (output.length > 400) output.splice(0, output.length - 400);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return child;
  };
  const exited = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const started = async (child: ChildProcess) => {
    if (role === 'worker') {
      await waitUntil(
        () => output.join('').includes('worker '),
        60_000,
        () => output.join(''),
      );
      return;
    }
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited:\n${output.join('')}`);
        try {
          return (await fetch(`http://127.0.0.1:${port}/health`)).ok;
        } catch {
          return false;
        }
      },
      60_000,
      () => output.join(''),
    );
  };

  const p: LoyaalProcess = {
    role,
    name,
    port,
    child: spawnChild(),
    alive: () => p.child.exitCode === null && p.child.signalCode === null,
    async kill(signal = 'SIGKILL') {
      const child = p.child;
      if (child.pid !== undefined && p.alive()) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      }
      await exited(child);
    },
    async restart() {
      await p.kill('SIGKILL');
      p.child = spawnChild();
      await started(p.child);
    },
    log: () => output.join(''),
  };
  await started(p.child);
  return p;
}

export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms\n${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits until `count()` reaches `target`, failing only when it has not moved for `stallMs`: a busy
 * machine may be slow, but a stuck system does not move at all.
 */
export async function waitForProgress(
  count: () => number | Promise<number>,
  target: number,
  stallMs: number,
  describe: () => string = () => '',
): Promise<void> {
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    const n = await count();
    if (n >= target) return;
    if (n !== last) {
      last = n;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > stallMs) {
      throw new Error(`stuck at ${n} of ${target} for ${stallMs} ms\n${describe()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
