import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { backupDatabase, pgDumpConnection } from '../../src/db/backup.ts';
import type { Db } from '../../src/db/database.ts';

/**
 * pg_dump must reach the database node-postgres reaches with the same DATABASE_URL and
 * environment: libpq reads the URL itself, except node-postgres's own parameters, and the
 * password travels in PGPASSWORD, not on the command line.
 */
describe('backup on PostgreSQL: the connection pg_dump is given', () => {
  it('moves the password out of the URL and keeps everything libpq reads itself', () => {
    const url =
      'postgres://loyaal:p%40ss@db.internal:6432/loyaal?sslmode=verify-full&sslrootcert=/etc/ca.pem&options=-c search_path=loyaal';
    expect(pgDumpConnection(url)).toEqual({
      uri: 'postgres://loyaal@db.internal:6432/loyaal?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&options=-c%20search_path%3Dloyaal',
      env: { PGPASSWORD: 'p@ss' },
    });
  });

  it('turns node-postgres’s ssl parameters into libpq’s sslmode', () => {
    const mode = (query: string) =>
      pgDumpConnection(`postgres://u@h/db?${query}`).uri.replace('postgres://u@h/db', '');
    expect(mode('ssl=true')).toBe('?sslmode=require');
    expect(mode('ssl=1')).toBe('?sslmode=require');
    expect(mode('ssl=false')).toBe('?sslmode=disable');
    expect(mode('ssl=0')).toBe('?sslmode=disable');
    expect(mode('sslmode=no-verify')).toBe('?sslmode=require');
    expect(mode('ssl=true&sslmode=verify-ca')).toBe('?sslmode=verify-ca');
    expect(pgDumpConnection('postgres://u@h/db').uri).toBe('postgres://u@h/db');
  });

  it('reads a socket URL with credentials and an empty host, as node-postgres does', () => {
    const url = 'postgres://loyaal:pw@/loyaal?host=/var/run/postgresql';
    expect(new pg.Client({ connectionString: url }).host).toBe('/var/run/postgresql');
    expect(pgDumpConnection(url)).toEqual({
      uri: 'postgres://loyaal@/loyaal?host=%2Fvar%2Frun%2Fpostgresql',
      env: { PGPASSWORD: 'pw' },
    });
  });

  it('accepts as DATABASE_URL what node-postgres accepts, a space in its options included', () => {
    const url = 'postgres://u:p@h/db?options=-c search_path=loyaal';
    expect(loadConfig({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    expect(() => loadConfig({ DATABASE_URL: 'postgress://u:p@h/db' })).toThrow('DATABASE_URL');
  });

  describe('with a stand-in pg_dump that writes down what it was given', () => {
    let dir: string;
    const saved = { PATH: process.env.PATH, PGPASSWORD: process.env.PGPASSWORD };
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'loyaal-pgdump-'));
      const fake = path.join(dir, 'pg_dump');
      writeFileSync(
        fake,
        '#!/bin/sh\nfor a in "$@"; do case "$a" in --file=*) f="${a#--file=}";; esac; done\n' +
          '{ env | grep "^PG" | sort; echo "ARGS $*"; } > "$f"\n',
      );
      chmodSync(fake, 0o755);
      process.env.PATH = `${dir}:${saved.PATH ?? ''}`;
    });
    afterAll(() => {
      process.env.PATH = saved.PATH;
      if (saved.PGPASSWORD === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = saved.PGPASSWORD;
      rmSync(dir, { recursive: true, force: true });
    });
    const pgDb = { dialect: 'postgres' } as unknown as Db;

    it('keeps PGPASSWORD of the environment when the URL has none', async () => {
      process.env.PGPASSWORD = 's3cret';
      const file = path.join(dir, 'env.dump');
      await backupDatabase(pgDb, 'postgres://loyaal@db.internal:5432/loyaal', file);
      expect(readFileSync(file, 'utf8')).toContain('PGPASSWORD=s3cret');
    });

    it('never puts the password on pg_dump’s command line', async () => {
      const file = path.join(dir, 'url.dump');
      await backupDatabase(pgDb, 'postgres://loyaal:geheim-wachtwoord@db.internal/loyaal', file);
      const seen = readFileSync(file, 'utf8');
      expect(seen).toContain('PGPASSWORD=geheim-wachtwoord');
      expect(seen).toMatch(/^ARGS .*--dbname=postgres:\/\/loyaal@db\.internal\/loyaal$/m);
      expect(seen.split('\n').find((l) => l.startsWith('ARGS'))).not.toContain('geheim');
    });
  });
});
