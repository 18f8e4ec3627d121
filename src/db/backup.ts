import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
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
  await new Promise<void>((resolve, reject) => {
    const child = spawn('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, url], {
      stdio: ['ignore', 'inherit', 'pipe'],
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
  return { file, bytes: statSync(file).size, method: 'pg_dump' };
}
