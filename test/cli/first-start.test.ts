import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** The project's own Node 24, as `npm start` uses it. */
const NODE = join(process.cwd(), 'node_modules', '.bin', 'node');
const dir = mkdtempSync(join(tmpdir(), 'loyaal-first-start-'));
const env = (extra: Record<string, string>) => ({
  ...process.env,
  DATABASE_URL: `sqlite:${join(dir, 'demo.db')}`,
  LOG_LEVEL: 'warn',
  LANG: 'nl_NL.UTF-8',
  LC_ALL: '',
  LC_MESSAGES: '',
  ...extra,
});

// Both tests start the real CLI as a child process (Node loading every module, migrating a fresh
// database, seeding the demo): seconds on a quiet machine, but a loaded CI machine can take many
// times that, so they wait generously; they check what is printed, never how fast.
describe('what the command line tells a person', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('npm run demo prints the address of the port the server will use, and how to start it', () => {
    const run = spawnSync(NODE, ['src/cli/main.ts', 'demo', '--contacts', '20'], {
      env: env({ PORT: '4399' }),
      encoding: 'utf8',
      timeout: 150_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('De demo-organisatie "Garage De Vries" staat klaar');
    expect(run.stdout).toContain('Klanten: 20,');
    expect(run.stdout).toContain('er is geen e-mail verstuurd');
    expect(run.stdout).toContain(
      `Start Loyaal met: DATABASE_URL=sqlite:${join(dir, 'demo.db')} PORT=4399 npm start`,
    );
    expect(run.stdout).toContain(
      'Log daarna in op http://localhost:4399/admin/ met demo@garagedevries.nl',
    );
    expect(run.stdout).not.toContain('localhost:3000');
  }, 180_000);

  it('npm start says where Loyaal runs, in words, besides the JSON log', async () => {
    const server = spawn(NODE, ['src/cli/main.ts', 'serve'], {
      env: env({ PORT: '0', WORKER: 'off', LANG: 'en_GB.UTF-8' }),
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no address line in: ${out}`)), 150_000);
        server.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          const match = /Loyaal is running at (http:\/\/localhost:\d+\/admin\/)/.exec(out);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        server.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const health = await fetch(new URL('/health', line));
      expect(health.status).toBe(200);
    } finally {
      server.kill('SIGTERM');
    }
  }, 180_000);
});
