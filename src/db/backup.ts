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
 * What pg_dump connects with: `DATABASE_URL` as libpq reads it (host, socket, port, `options`,
 * certificates — libpq parses the URL itself) without node-postgres's own parameters, which
 * libpq refuses (`ssl=true|1|false|0` becomes `sslmode`, `sslmode=no-verify` becomes `require`),
 * and its password in `PGPASSWORD` rather than on pg_dump's command line. The process's own `PG*`
 * variables stay (node-postgres uses them too, e.g. a password that is not in the URL).
 */
export function pgDumpConnection(url: string): { uri: string; env: Record<string, string> } {
  const env: Record<string, string> = {};
  const at = url.indexOf('?');
  let base = at < 0 ? url : url.slice(0, at);
  const query = [...new URLSearchParams(at < 0 ? '' : url.slice(at + 1))];
  const password = /^(postgres(?:ql)?:\/\/[^:@/?#]*):([^@/?#]*)@/.exec(base);
  if (password) {
    env.PGPASSWORD = decodeURIComponent(password[2] ?? '');
    base = `${password[1] ?? ''}@${base.slice(password[0].length)}`;
  }
  const ssl = query.find(([k]) => k === 'ssl')?.[1];
  const params = query
    .filter(([k]) => k !== 'ssl')
    .map(([k, v]): [string, string] => [k, k === 'sslmode' && v === 'no-verify' ? 'require' : v]);
  if (ssl !== undefined && !params.some(([k]) => k === 'sslmode')) {
    const mode = ['true', '1'].includes(ssl)
      ? 'require'
      : ['false', '0'].includes(ssl)
        ? 'disable'
        : null;
    if (mode) params.push(['sslmode', mode]);
  }
  // Spaces as %20, not `+`: libpq decodes percent escapes only.
  const encoded = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return { uri: encoded.length ? `${base}?${encoded.join('&')}` : base, env };
}

function pgDump(url: string, file: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const connection = pgDumpConnection(url);
    const child = spawn(
      'pg_dump',
      ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${connection.uri}`],
      { stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, ...connection.env } },
    );
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
