import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { loadConfig } from '../src/config.ts';
import { platform } from '../src/server/start.ts';
import * as imports from '../src/modules/imports/imports.service.ts';
import { employeeSearchText } from '../src/modules/employees/employees.service.ts';
import { createOrganisationWithOwner } from '../src/modules/organisations/organisations.service.ts';
import { newId } from '../src/shared/ids.ts';
import {
  benchPostgresUrl,
  benchSqlite,
  postgresSkipped,
  report,
  sqliteSkipped,
} from './support.ts';

/**
 * Contact import of a 100,000-row Dutch CSV (Windows-1252 is the hard case for detection, so the
 * file is UTF-8 with accents on every row and the encoding sniffer reads all of it): upload
 * (copy + inspect), validation and the one-transaction commit, through the same service functions
 * the API job and the CLI use. Reports rows per second over the whole run and the peak RSS of
 * this process, sampled every 50 ms, next to the RSS measured before the first import.
 *
 * One row in a hundred is invalid (bad email, unknown language or a repeated email), so the
 * error path is part of the figure; the rows name 2,000 companies, which the commit creates.
 *
 * Then, in the same run and database, the visits import (`visits_import_*`): 100,000 workshop
 * visits of those customers through the same wizard, next to the contacts figure.
 */
const ROWS = 100_000;
const MB = 1024 * 1024;

const FIRST = ['Renée', 'Zoë', 'Jan', 'Daan', 'Sanne', 'Çelik', 'Noor', 'Sem', 'Lotte', 'Bram'];
const INFIX = ['', 'van', 'de', "van 't", 'van der', 'den'];
const LAST = ['Vries', 'Jansen', 'Bakker', 'Smit', 'Hof', 'Meijer', 'Mulder', 'Dijkstra', 'Bos'];
const EMPLOYEES = ['Jan de Vries', 'Sanne Bakker', 'Mohamed El Amrani', 'Eva Visser', 'Kees Smit'];

async function writeCsv(file: string): Promise<void> {
  const out = fs.createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(
    'Klantnummer;Naam;E-mailadres;Telefoon;Taal;Accountmanager;Bedrijf;Segment;Toestemming;Kenteken\r\n',
  );
  for (let i = 0; i < ROWS; i++) {
    const name = `${FIRST[i % FIRST.length]} ${INFIX[i % INFIX.length]} ${LAST[i % LAST.length]}`
      .replace(/\s+/g, ' ')
      .trim();
    let email = `klant${i}@voorbeeld.nl`;
    let language = i % 3 === 0 ? 'Engels' : 'nl';
    if (i % 100 === 17) email = `klant${i}@@voorbeeld`;
    if (i % 100 === 42) language = 'Frans';
    if (i % 100 === 71) email = `klant${i - 1}@voorbeeld.nl`;
    const phone = `06-${String(10_000_000 + i).slice(-8)}`;
    const owner = EMPLOYEES[i % EMPLOYEES.length] ?? '';
    const company = i % 4 === 0 ? '' : `Bedrijf ${i % 2000} B.V.`;
    const segment = i % 2 ? 'particulier' : 'zakelijk';
    const consent = i % 5 === 0 ? 'ja' : 'nee';
    await write(
      `K${i};"${name}";${email};${phone};${language};${owner};${company};${segment};${consent};AB-${i}-XY\r\n`,
    );
  }
  out.end();
  await once(out, 'finish');
}

/**
 * The customers' workshop visits, one per customer of the contacts file: Dutch amounts
 * (`1.049,00`, `€ 89,95`) and dates (`28-10-2025`); one row in a hundred names an unknown customer.
 */
async function writeVisitsCsv(file: string): Promise<void> {
  const out = fs.createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write('Klantnummer;Datum;Bedrag;Soort;Vestiging;Werkorder\r\n');
  for (let i = 0; i < ROWS; i++) {
    const customer = i % 100 === 33 ? `X${i}` : `K${i}`;
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(1 + (i % 12)).padStart(2, '0');
    const amount =
      i % 2 ? `€ ${1 + (i % 9)}.${String(i % 1000).padStart(3, '0')},50` : `${i % 500},95`;
    const kind = i % 3 ? 'Onderhoud' : 'APK';
    await write(`${customer};${day}-${month}-2025;${amount};${kind};Utrecht;W${i}\r\n`);
  }
  out.end();
  await once(out, 'finish');
}

async function seedOrganisation(db: Db): Promise<string> {
  const now = Date.now();
  const { organisationId } = await db.kysely.transaction().execute((trx) =>
    createOrganisationWithOwner(
      trx,
      {
        organisationName: 'Garage De Vries',
        locale: 'nl',
        name: 'Bench',
        email: `bench-${newId()}@example.nl`,
        password: 'bench-password-123',
      },
      now,
    ),
  );
  await db.kysely
    .insertInto('employees')
    .values(
      EMPLOYEES.map((name) => ({
        id: newId(),
        organisation_id: organisationId,
        name,
        email: null,
        team: null,
        search_text: employeeSearchText(name),
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  return organisationId;
}

/**
 * The longest any other query waited while `work` ran: a read probe (one row) and a write probe
 * (a no-op update of the organisation) each every 100 ms. The commit is one transaction: on SQLite
 * reads run beside it on the reader connection (src/db/sqlite-read-beside-write.ts), while a write
 * waits for SQLite's one writer, so for the whole commit; these figures say how long.
 */
async function withQueryProbe<T>(
  db: Db,
  organisationId: string,
  work: () => Promise<T>,
): Promise<{ result: T; maxWait: number; maxWriteWait: number }> {
  let stop = false;
  const probe = async (query: () => Promise<unknown>) => {
    let longest = 0;
    while (!stop) {
      const started = performance.now();
      await query();
      longest = Math.max(longest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return longest;
  };
  const reads = probe(() => db.kysely.selectFrom('organisations').select('id').limit(1).execute());
  const writes = probe(() =>
    db.kysely
      .updateTable('organisations')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', organisationId)
      .execute(),
  );
  try {
    const result = await work();
    stop = true;
    return { result, maxWait: await reads, maxWriteWait: await writes };
  } finally {
    stop = true;
    await Promise.allSettled([reads, writes]);
  }
}

/** The highest RSS seen while `work` runs, sampled every 50 ms. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

async function importOnce(
  db: Db,
  dataDir: string,
  csv: string,
  label: string,
  visitsCsv: string,
): Promise<void> {
  const organisationId = await seedOrganisation(db);
  const actor = { kind: 'system' as const, organisationId };
  const now = () => Date.now();
  const config = loadConfig({ DATA_DIR: dataDir });
  const run: imports.RunContext = { db, dataDir, now, deps: { db, config, now, platform } };
  const { result, peak } = await withPeakRss(async () => {
    const started = performance.now();
    const id = newId();
    const inspection = await imports.stageLocalFile(dataDir, id, csv);
    await db.kysely.transaction().execute(async (trx) => {
      await imports.createImport(
        trx,
        actor,
        { id, filename: 'klanten.csv', inspection },
        Date.now(),
        'nl',
      );
      await imports.requestValidation(
        trx,
        actor,
        id,
        inspection.suggestedMapping,
        Date.now(),
        'nl',
        { queue: false },
      );
    });
    const uploaded = performance.now();
    await imports.runValidation(run, organisationId, id);
    const validated = performance.now();
    await db.kysely
      .transaction()
      .execute((trx) =>
        imports.requestCommit(trx, actor, id, 'valid_only', Date.now(), 'nl', { queue: false }),
      );
    const {
      result: committed,
      maxWait,
      maxWriteWait,
    } = await withQueryProbe(db, organisationId, () => imports.runCommit(run, organisationId, id));
    const done = performance.now();
    return {
      committed,
      maxWait,
      maxWriteWait,
      seconds: (done - started) / 1000,
      upload: (uploaded - started) / 1000,
      validate: (validated - uploaded) / 1000,
      commit: (done - validated) / 1000,
    };
  });
  if (result.committed.status !== 'completed' || result.committed.counts?.processed !== ROWS) {
    throw new Error(`import did not complete: ${JSON.stringify(result.committed)}`);
  }
  report(`import_rows_per_second_${label}`, ROWS / result.seconds, 'rows/s');
  report(`import_peak_rss_${label}`, peak / MB, 'MB');
  report(`import_upload_seconds_${label}`, result.upload, 's');
  report(`import_validate_seconds_${label}`, result.validate, 's');
  report(`import_commit_seconds_${label}`, result.commit, 's');
  report(`import_commit_max_query_wait_${label}`, result.maxWait, 'ms');
  report(`import_commit_max_write_wait_${label}`, result.maxWriteWait, 'ms');
  report(`import_created_rows_${label}`, result.committed.counts.created, 'rows');
  report(`import_rejected_rows_${label}`, result.committed.counts.rejected, 'rows');
  await visitsImportOnce(db, dataDir, visitsCsv, label, organisationId);
}

/**
 * The same wizard with the other kind of row, in the same run and database, right after the
 * contacts import: the visits of those customers (matched by customer number), upload to commit.
 */
async function visitsImportOnce(
  db: Db,
  dataDir: string,
  csv: string,
  label: string,
  organisationId: string,
): Promise<void> {
  const actor = { kind: 'system' as const, organisationId };
  const now = () => Date.now();
  const config = loadConfig({ DATA_DIR: dataDir });
  const run: imports.RunContext = { db, dataDir, now, deps: { db, config, now, platform } };
  const { result, peak } = await withPeakRss(async () => {
    const started = performance.now();
    const id = newId();
    const inspection = await imports.stageLocalFile(dataDir, id, csv);
    await db.kysely.transaction().execute(async (trx) => {
      const created = await imports.createImport(
        trx,
        actor,
        { id, filename: 'werkplaats.csv', inspection, kind: 'visits' },
        Date.now(),
        'nl',
      );
      await imports.requestValidation(
        trx,
        actor,
        id,
        created.detected.suggestedMapping,
        Date.now(),
        'nl',
        { queue: false },
      );
    });
    const validation = await imports.runValidation(run, organisationId, id);
    const validated = performance.now();
    await db.kysely
      .transaction()
      .execute((trx) =>
        imports.requestCommit(trx, actor, id, 'valid_only', Date.now(), 'nl', { queue: false }),
      );
    const committed = await imports.runCommit(run, organisationId, id);
    const done = performance.now();
    return {
      validation,
      committed,
      seconds: (done - started) / 1000,
      validate: (validated - started) / 1000,
      commit: (done - validated) / 1000,
    };
  });
  if (result.committed.status !== 'completed' || result.committed.counts?.processed !== ROWS) {
    throw new Error(`visits import did not complete: ${JSON.stringify(result)}`);
  }
  report(`visits_import_rows_per_second_${label}`, ROWS / result.seconds, 'rows/s');
  report(`visits_import_peak_rss_${label}`, peak / MB, 'MB');
  report(`visits_import_validate_seconds_${label}`, result.validate, 's');
  report(`visits_import_commit_seconds_${label}`, result.commit, 's');
  report(`visits_import_created_rows_${label}`, result.committed.counts.created, 'rows');
  report(`visits_import_rejected_rows_${label}`, result.committed.counts.rejected, 'rows');
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'loyaal-import-bench-'));
  try {
    const csv = path.join(dir, 'klanten.csv');
    await writeCsv(csv);
    const visitsCsv = path.join(dir, 'werkplaats.csv');
    await writeVisitsCsv(visitsCsv);
    report('import_file_size', fs.statSync(csv).size / MB, 'MB');
    report('baseline_rss', process.memoryUsage.rss() / MB, 'MB');

    if (benchSqlite()) {
      const sqlite = await openDatabase(`sqlite:${path.join(dir, 'loyaal.db')}`);
      try {
        await migrateToLatest(sqlite);
        await importOnce(sqlite, dir, csv, 'sqlite', visitsCsv);
      } finally {
        await sqlite.close();
      }
    } else sqliteSkipped();

    const url = benchPostgresUrl();
    if (!url) postgresSkipped();
    else {
      const schema = `bench_import_${randomBytes(4).toString('hex')}`;
      const postgres = await openDatabase(url, { schema, poolSize: 4 });
      try {
        await migrateToLatest(postgres);
        await importOnce(postgres, dir, csv, 'postgres', visitsCsv);
      } finally {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(postgres.kysely);
        await postgres.close();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
