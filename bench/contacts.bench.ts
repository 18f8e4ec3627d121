import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Db } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createApiKey } from '../src/modules/api-keys/api-keys.service.ts';
import { insertBulkContacts, seedOrganisation } from '../test/support/bulk.ts';
import {
  benchPostgresUrl,
  benchSqlite,
  load,
  loadWithCpu,
  postgresSkipped,
  report,
  sqliteSkipped,
  startServerProcess,
} from './support.ts';

const CONTACTS = 20_000;

async function seed(db: Db): Promise<string> {
  const now = Date.now();
  const organisationId = await seedOrganisation(db.kysely, 'Bench BV', now);
  await insertBulkContacts(db.kysely, organisationId, CONTACTS, now, {
    externalId: (n) => `K${n}`,
    segment: (n) => (n % 3 === 0 ? 'zakelijk' : 'particulier'),
    createdAt: (n) => now - n * 1000,
  });
  // Steady state: the planner knows the table's size, as autovacuum would tell it in production.
  if (db.dialect === 'postgres') await sql`analyze contacts`.execute(db.kysely);
  const key = await db.kysely
    .transaction()
    .execute((trx) =>
      createApiKey(trx, { kind: 'system', organisationId }, { name: 'bench', role: 'admin' }, now),
    );
  return key.secret;
}

async function measure(label: string, databaseUrl: string): Promise<void> {
  const server = await startServerProcess({ DATABASE_URL: databaseUrl });
  try {
    const health = await load({ url: `${server.url}/health`, duration: 8 });
    report(`health_rps_${label}`, health.rps, 'req/s');
    report(`health_p99_${label}`, health.p99, 'ms');
    const db = await openDatabase(databaseUrl);
    const secret = await seed(db);
    await db.close();
    const list = await loadWithCpu(server.child.pid, {
      url: `${server.url}/api/v1/contacts?limit=50`,
      headers: { authorization: `Bearer ${secret}` },
      duration: 10,
    });
    if (list.non2xx > 0 || list.errors > 0)
      console.error(`warning: ${list.non2xx} non-2xx, ${list.errors} errors`);
    report(`contacts_list_rps_${label}`, list.rps, 'req/s');
    report(`contacts_list_p99_${label}`, list.p99, 'ms');
    if (list.cpuMsPerRequest !== null) {
      report(`contacts_list_server_cpu_per_request_${label}`, list.cpuMsPerRequest, 'ms');
    }
    // The reference: the same page's bytes served from memory (bench/reference-server.ts), what
    // sending a page of this size costs on this machine without reading or rendering it.
    const page = await fetch(`${server.url}/api/v1/contacts?limit=50`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    const body = await page.text();
    report(`contacts_list_page_bytes_${label}`, Buffer.byteLength(body), 'bytes');
    const pageFile = path.join(mkdtempSync(path.join(tmpdir(), 'loyaal-bench-page-')), 'page.json');
    writeFileSync(pageFile, body);
    const reference = await startServerProcess(
      { REFERENCE_MODE: 'static', REFERENCE_BODY_FILE: pageFile },
      { command: ['bench/reference-server.ts'] },
    );
    try {
      const same = await loadWithCpu(reference.child.pid, {
        url: `${reference.url}/page`,
        duration: 10,
      });
      report(`reference_static_page_rps_${label}`, same.rps, 'req/s');
      if (same.cpuMsPerRequest !== null) {
        report(`reference_static_page_cpu_per_request_${label}`, same.cpuMsPerRequest, 'ms');
      }
      report(`contacts_list_to_static_page_ratio_${label}`, list.rps / same.rps, 'ratio');
    } finally {
      await reference.stop();
      rmSync(path.dirname(pageFile), { recursive: true, force: true });
    }
  } finally {
    await server.stop();
  }
}

export async function run(): Promise<void> {
  if (benchSqlite()) {
    const dir = mkdtempSync(path.join(tmpdir(), 'loyaal-bench-'));
    try {
      const file = path.join(dir, 'bench.db');
      const db = await openDatabase(`sqlite:${file}`);
      await migrateToLatest(db);
      await db.close();
      await measure('sqlite', `sqlite:${file}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else sqliteSkipped();
  const pgUrl = benchPostgresUrl();
  if (!pgUrl) {
    postgresSkipped();
    return;
  }
  // A dedicated database keeps the server's default search_path simple.
  const name = `loyaal_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  try {
    const db = await openDatabase(url.toString());
    await migrateToLatest(db);
    await db.close();
    await measure('postgres', url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
