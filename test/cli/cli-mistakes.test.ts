import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { freshDatabase } from '../support/databases.ts';

/** The project's own Node 24, as `npm run loyaal` uses it. */
const NODE = path.join(process.cwd(), 'node_modules', '.bin', 'node');
const MAIN = path.join(process.cwd(), 'src', 'cli', 'main.ts');
const PG_URL = process.env.TEST_DATABASE_URL;

/** Runs the real CLI entry as a child process, as test/cli/rebuild-commands.test.ts does. */
function loyaal(env: Record<string, string>, args: string[], cwd = process.cwd()) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(NODE, [MAIN, ...args], {
      cwd,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        WORKER: 'off',
        LANG: 'nl_NL.UTF-8',
        LC_ALL: '',
        LC_MESSAGES: '',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A Node stack frame ("    at main (file:///…/main.ts:91:26)"): never what an operator should read. */
const STACK_FRAME = /^\s+at .+\(?(file|node):/m;

let dir: string;
let sqliteEnv: Record<string, string>;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-hunt-cli-'));
  sqliteEnv = { DATABASE_URL: `sqlite:${path.join(dir, 'loyaal.db')}`, DATA_DIR: dir };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the command line answers mistakes clearly, on SQLite', () => {
  it('refuses a mistyped PostgreSQL DATABASE_URL instead of migrating a stray SQLite file named after it', async () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'cwd-'));
    const run = await loyaal(
      { DATABASE_URL: 'postgress://loyaal:s3cret-pw@db.example.com:5432/loyaal' },
      ['migrate'],
      cwd,
    );
    const leftBehind = fs.readdirSync(cwd, { recursive: true }).map(String);
    expect(leftBehind.filter((p) => p.includes('s3cret-pw'))).toEqual([]);
    expect(run.code).not.toBe(0);
  }, 120_000);

  it('answers a mistyped or incomplete option with a usage line, not a Node stack trace', async () => {
    const missing = await loyaal(sqliteEnv, ['backup', '--to']);
    const typo = await loyaal(sqliteEnv, ['create-org', '--nmae', 'Garage De Vries']);
    for (const run of [missing, typo]) {
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(run.stderr).toMatch(/usage: loyaal/);
      expect(run.code).toBe(2);
    }
    expect(missing.stderr).toContain('usage: loyaal backup --to FILE');
    expect(typo.stderr).toContain("Unknown option '--nmae'");
    expect(typo.stderr).toContain('usage: loyaal create-org --name N');
    // Asking for help is no mistake: the command's usage, on standard output.
    const help = await loyaal(sqliteEnv, ['rollups', 'rebuild', '--help']);
    expect(help.stdout).toContain('usage: loyaal rollups rebuild [--org ID]');
    expect(help.code).toBe(0);
  }, 120_000);

  it('refuses a month that does not exist in partitions --detach-before', async () => {
    for (const month of ['2024-13', '2024-00']) {
      const run = await loyaal(sqliteEnv, ['partitions', '--detach-before', month]);
      expect(run.stderr).toContain('usage: loyaal partitions');
      expect(run.code).toBe(2);
    }
  }, 120_000);

  it('does not report "1 organisation(s)" rebuilt for an organisation that does not exist', async () => {
    const run = await loyaal(sqliteEnv, ['rollups', 'rebuild', '--org', 'org-typo']);
    expect(run.stdout).not.toContain('1 organisation(s)');
    expect(run.code).not.toBe(0);
  }, 120_000);

  it('treats an empty --org (an unset $ORG in a script) as a mistake, not as "every organisation"', async () => {
    for (const [name, email] of [
      ['Garage A', 'a@example.nl'],
      ['Garage B', 'b@example.nl'],
    ] as const) {
      const made = await loyaal({ ...sqliteEnv, LOYAAL_PASSWORD: 'lange-wachtwoord-1' }, [
        'create-org',
        '--name',
        name,
        '--owner-email',
        email,
        '--owner-name',
        'Piet',
      ]);
      expect(made.code, made.stderr).toBe(0);
    }
    const run = await loyaal(sqliteEnv, ['loyalty', 'rebuild', '--org', '']);
    expect(run.stdout).not.toMatch(/[2-9] organisation\(s\)/);
    expect(run.code).toBe(2);
  }, 120_000);

  it('create-api-key for an unknown organisation says so, without a SqliteError stack trace', async () => {
    const run = await loyaal(sqliteEnv, ['create-api-key', '--org', 'org-typo', '--name', 'CRM']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stderr).not.toContain('SqliteError');
  }, 120_000);

  it('demo --contacts=20 (the = form) or a mistyped --contact is not silently replaced by 4,000 customers', async () => {
    const own = { ...sqliteEnv, DATABASE_URL: `sqlite:${path.join(dir, 'demo-eq.db')}` };
    const run = await loyaal(own, ['demo', '--contacts=20']);
    expect(run.stdout).not.toContain('Klanten: 4.000');
    const typo = await loyaal(
      { ...sqliteEnv, DATABASE_URL: `sqlite:${path.join(dir, 'demo-typo.db')}` },
      ['demo', '--contact', '20'],
    );
    expect(typo.stdout).not.toContain('Klanten: 4.000');
    expect(typo.code).toBe(2);
  }, 300_000);

  it('demo refuses a database that already holds a real organisation (it adds a login with the published password)', async () => {
    const own = { ...sqliteEnv, DATABASE_URL: `sqlite:${path.join(dir, 'production.db')}` };
    const real = await loyaal({ ...own, LOYAAL_PASSWORD: 'lange-wachtwoord-1' }, [
      'create-org',
      '--name',
      'Installatiebedrijf Van Dam',
      '--owner-email',
      'eigenaar@vandam.nl',
      '--owner-name',
      'Eva van Dam',
    ]);
    expect(real.code, real.stderr).toBe(0);
    const run = await loyaal(own, ['demo', '--contacts', '5']);
    expect(run.stdout).not.toContain('loyaal-demo-2026');
    expect(run.code).not.toBe(0);
  }, 120_000);
});

describe.skipIf(!PG_URL)('the command line answers mistakes clearly, on PostgreSQL', () => {
  let db: Db;
  let url: string;
  beforeAll(async () => {
    db = await freshDatabase('postgres');
    url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${db.schema}`)}`;
  }, 60_000);
  afterAll(async () => db.close());

  it('demo does not print the database password in its "Start Loyaal met:" line', async () => {
    const withPassword = url.replace('postgres://postgres@', 'postgres://postgres:s3cret-pw@');
    expect(withPassword).toContain('s3cret-pw');
    const run = await loyaal({ DATABASE_URL: withPassword, DATA_DIR: dir, PORT: '4399' }, [
      'demo',
      '--contacts',
      '10',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('s3cret-pw');
  }, 180_000);

  it('a pg_dump that fails halfway leaves no partial backup file behind, and no stack trace', async () => {
    // A stand-in pg_dump that writes part of its file and then fails, as one cut off would.
    const bin = fs.mkdtempSync(path.join(dir, 'bin-'));
    fs.writeFileSync(
      path.join(bin, 'pg_dump'),
      '#!/bin/sh\nfor a; do case "$a" in --file=*) echo partial > "${a#--file=}";; esac; done\n' +
        'echo "pg_dump: error: connection to server lost" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    const file = path.join(dir, 'nightly.dump');
    const run = await loyaal(
      { DATABASE_URL: url, DATA_DIR: dir, PATH: `${bin}:${process.env.PATH ?? ''}` },
      ['backup', '--to', file],
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('connection to server lost');
    expect(fs.existsSync(file)).toBe(false);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  }, 120_000);

  it('backs up with node-postgres URL parameters pg_dump itself would refuse (ssl=false)', async () => {
    // A database of its own: pg_dump reads a whole database, and other test files create and drop
    // schemas in the shared one while it runs.
    const name = `loyaal_cli_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const own = new URL(PG_URL ?? '');
      own.pathname = `/${name}`;
      own.search = '?ssl=false';
      const file = path.join(dir, 'with-ssl-param.dump');
      const run = await loyaal({ DATABASE_URL: own.toString(), DATA_DIR: dir }, [
        'backup',
        '--to',
        file,
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(fs.statSync(file).size).toBeGreaterThan(0);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 120_000);
});
