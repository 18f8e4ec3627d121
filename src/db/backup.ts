import { spawn } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import type { Db } from './database.ts';

export interface BackupResult {
  file: string;
  bytes: number;
  /** What made the copy: SQLite's online backup API, or pg_dump. */
  method: 'sqlite-online-backup' | 'pg_dump';
}

/**
 * `loyaal backup`: a consistent copy of the database while Loyaal keeps running. SQLite: the online
 * backup API copies page by page and restarts when a writer changes a copied page, so the copy is
 * one moment's state; the copy is checked with `PRAGMA integrity_check`. PostgreSQL: `pg_dump` in
 * its custom format (restore with `pg_restore`), which reads one snapshot of the database.
 */
export async function backupDatabase(db: Db, url: string, file: string): Promise<BackupResult> {
  if (existsSync(file)) throw new Error(`${file} exists already; choose a new file name`);
  if (db.dialect === 'sqlite') {
    if (!db.backup) throw new Error('this SQLite handle cannot back up');
    await db.backup(file);
    const copy = new SqliteDatabase(file, { readonly: true });
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok')
        throw new Error(`the backup failed its integrity check: ${String(check)}`);
    } finally {
      copy.close();
    }
    return { file, bytes: statSync(file).size, method: 'sqlite-online-backup' };
  }
  try {
    await pgDump(url, file);
  } catch (error) {
    // An empty or partial file must not pass for a backup (nor block the next try by its name).
    rmSync(file, { force: true });
    throw error;
  }
  return { file, bytes: statSync(file).size, method: 'pg_dump' };
}

/**
 * The connection settings of a node-postgres URL as libpq's environment variables: pg_dump refuses
 * node-postgres's own URL parameters (`ssl=true`, `sslmode=no-verify`), and the password stays out
 * of the process list.
 */
export function libpqEnvironment(url: string): Record<string, string> {
  const u = new URL(url);
  const env: Record<string, string> = {};
  const set = (name: string, value: string | null | undefined) => {
    if (value) env[name] = value;
  };
  set(
    'PGHOST',
    u.searchParams.get('host') ?? decodeURIComponent(u.hostname).replace(/^\[(.*)\]$/, '$1'),
  );
  set('PGPORT', u.searchParams.get('port') ?? u.port);
  set('PGUSER', decodeURIComponent(u.username));
  set('PGPASSWORD', decodeURIComponent(u.password));
  set('PGDATABASE', decodeURIComponent(u.pathname.replace(/^\//, '')));
  set('PGOPTIONS', u.searchParams.get('options'));
  set('PGAPPNAME', u.searchParams.get('application_name'));
  const ssl = u.searchParams.get('sslmode') ?? u.searchParams.get('ssl');
  if (ssl !== null) {
    const mode: Record<string, string> = {
      true: 'require',
      false: 'disable',
      'no-verify': 'require',
    };
    env.PGSSLMODE = mode[ssl] ?? ssl;
  }
  return env;
}

function pgDump(url: string, file: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`], {
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...withoutLibpqSettings(process.env), ...libpqEnvironment(url) },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) =>
      reject(
        new Error(
          `pg_dump could not be started (${err.message}); install the PostgreSQL client tools, or back up with your own pg_dump / pg_basebackup`,
        ),
      ),
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`pg_dump failed (${code}): ${stderr.trim()}`)),
    );
  });
}

/** The environment without PG* settings of its own: DATABASE_URL alone decides what is dumped. */
function withoutLibpqSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('PG')));
}
