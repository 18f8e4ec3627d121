import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import type { ContactTable } from '../src/db/schema.ts';
import { openDatabase, type Db, type OpenOptions } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { rebuildLoyaltyFacts } from '../src/modules/loyalty/contact-facts.service.ts';
import { loyaltyReport } from '../src/modules/loyalty/loyalty.service.ts';
import * as reference from '../test/support/loyalty-reference.ts';
import { createOrganisationWithOwner } from '../src/modules/organisations/organisations.service.ts';
import { createSurveySchema } from '../src/modules/surveys/surveys.schemas.ts';
import { createSurvey } from '../src/modules/surveys/surveys.service.ts';
import { newId } from '../src/shared/ids.ts';
import {
  benchPostgresUrl,
  benchSqlite,
  cpuMsOf,
  postgresSkipped,
  report,
  residentMemoryOf,
  sqliteSkipped,
} from './support.ts';

/**
 * The loyalty report (issue 11, must-show 3) on 100,000 contacts and 1,000,000 visits: four in five
 * contacts answered once (scores 0–10 spread evenly over 18 months), each contact has ten completed
 * visits at their own rhythm (every 30–119 days), and answered three days after the sixth (as a
 * survey after a visit asks), so the next visit comes 27–116 days after the answer; one in a
 * hundred is an ambassador who brought in the next one (1,000 referred customers for earned
 * growth). The seed writes the tables directly, so the facts per contact are then filled by their
 * rebuild (timed: the migration's backfill costs about that).
 *
 * The report is computed as the API computes it (`loyaltyReport`, for the owner: the whole
 * organisation) in a process of its own that opens the database and does nothing else, as a
 * server answering the request would — the seeding leaves this process's memory at its own peak
 * (`loyalty_bench_process_rss`, for comparison). Reported: the report's time (the median of 3 runs
 * after one warm-up, and the slowest), that process's CPU time per report (PostgreSQL's own work
 * is in another process and not in it), its RSS after opening the database and its peak RSS (the
 * operating system's high-water mark). Targets: under 500 ms and under 300 MB. The reference, in
 * the same run: the report's two heavy reads the old way, from the visits
 * (`test/support/loyalty-reference.ts`), once, in this process.
 */
const CONTACTS = 100_000;
const VISITS_PER_CONTACT = 10;
const DAY = 86_400_000;
const MB = 1024 * 1024;

export async function seed(db: Db, now: number): Promise<string> {
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
  const survey = await createSurvey(
    db.kysely,
    { kind: 'system', organisationId },
    createSurveySchema.parse({ name: 'Na de werkplaats', status: 'active' }),
    now,
  );
  // Contacts in batches; created_at (spread over 18 months) is each one's answer moment and seed.
  for (let start = 0; start < CONTACTS; start += 1000) {
    const rows: ContactTable[] = [];
    for (let i = start; i < Math.min(CONTACTS, start + 1000); i++) {
      const at = now - (30 + (i % 540)) * DAY;
      rows.push({
        id: newId(),
        organisation_id: organisationId,
        external_id: `K${i}`,
        name: `Klant ${i}`,
        email: `klant${i}@voorbeeld.nl`,
        email_key: `klant${i}@voorbeeld.nl`,
        phone: null,
        phone_key: null,
        first_name: null,
        salutation: null,
        language: 'nl',
        owner_employee_id: null,
        account_id: null,
        segment: i % 2 ? 'particulier' : 'zakelijk',
        location_id: null,
        attributes: '{}',
        consent_status: 'unknown',
        consent_source: null,
        consent_at: null,
        unsubscribed_at: null,
        bounced_at: null,
        erased_at: null,
        search_text: `klant ${i}`,
        created_at: at,
        updated_at: at,
      });
    }
    for (let j = 0; j < rows.length; j += 500) {
      await db.kysely
        .insertInto('contacts')
        .values(rows.slice(j, j + 500))
        .execute();
    }
  }
  const day = sql`(c.created_at / ${DAY})`;
  // One answer for four contacts in five, score 0–10 by the contact's day.
  await sql`
    insert into responses (id, organisation_id, survey_id, invitation_id, contact_id, channel, score,
      category, comment, employee_score, may_contact, ambassador_opt_in, locale, owner_employee_id,
      account_id, segment, device_key, answered_at, updated_at, closes_at, created_at, anonymised_at)
    select 'r-' || c.id, c.organisation_id, ${survey.id}, null, c.id, 'email', ${day} % 11,
      case when ${day} % 11 >= 9 then 'promoter' when ${day} % 11 >= 7 then 'passive' else 'detractor' end,
      null, null, 0, 0, 'nl', null, null, c.segment, null, c.created_at, c.created_at,
      c.created_at + ${30 * DAY}, c.created_at, null
    from contacts c
    where c.organisation_id = ${organisationId} and ${day} % 5 <> 0`.execute(db.kysely);
  // Ten completed visits per contact, every 30–119 days; the answer three days after the sixth.
  await sql`
    insert into visits (id, organisation_id, contact_id, external_id, visited_at, kind, kind_key,
      location, amount_cents, status, source, invitation_status, invitation_id, skip_reason,
      skip_detail, created_at, updated_at)
    select 'v-' || c.id || '-' || n.k, c.organisation_id, c.id, null,
      c.created_at + (n.k - 5) * ((${day} % 90) + 30) * ${DAY} - ${3 * DAY},
      'Onderhoud', 'onderhoud', null, 5000 + n.k * 1000, 'completed', 'import', null, null, null,
      null, c.created_at, c.created_at
    from contacts c
    cross join (select 0 as k union all select 1 union all select 2 union all select 3
      union all select 4 union all select 5 union all select 6 union all select 7
      union all select 8 union all select 9) n
    where c.organisation_id = ${organisationId}`.execute(db.kysely);
  // The referral programme: one contact in a hundred is an ambassador, and the next contact is the
  // friend they brought, converted, referred the day before that friend's first visit — so earned
  // growth has 1,000 referred customers' revenue to find among the million visits.
  const nth = sql`(cast(substr(c.external_id, 2) as integer) % 100)`;
  await sql`
    insert into ambassadors (id, organisation_id, contact_id, status, share_token, link_token, code,
      show_name, consent_text, consent_source, consent_at, consent_user_id, consent_note,
      response_id, referred_by_ambassador_id, invited_at, unsubscribed_at, friend_page_views,
      removed_at, created_at, updated_at)
    select 'a-' || c.id, c.organisation_id, c.id, 'active', 's-' || c.id, 'l-' || c.id,
      'A' || c.external_id, 0, 'bench', 'survey', c.created_at, null, null, null, null, null, null,
      0, null, c.created_at, c.created_at
    from contacts c
    where c.organisation_id = ${organisationId} and ${nth} = 1`.execute(db.kysely);
  const firstVisit = sql`(f.created_at - 5 * (((f.created_at / ${DAY}) % 90) + 30) * ${DAY} - ${3 * DAY})`;
  await sql`
    insert into referrals (id, organisation_id, ambassador_id, source, status, friend_name,
      friend_email, friend_phone, friend_email_key, friend_phone_key, locale, consent_text,
      consent_at, verdict, findings, contact_id, converted_at, conversion_ref,
      conversion_amount_cents, conversion_cancelled_at, erased_at, created_at, updated_at)
    select 'f-' || f.id, f.organisation_id, 'a-' || c.id, 'link', 'converted', null, null, null,
      null, null, 'nl', 'bench', ${firstVisit} - ${DAY}, 'eligible', '[]', f.id, ${firstVisit},
      null, 5000, null, null, ${firstVisit} - ${DAY}, ${firstVisit}
    from contacts c
    join contacts f on f.organisation_id = c.organisation_id
      and f.external_id = 'K' || cast(cast(substr(c.external_id, 2) as integer) + 1 as text)
    where c.organisation_id = ${organisationId} and ${nth} = 1`.execute(db.kysely);
  // A settled database: autovacuum has run over the bulk insert, so the planner has statistics and
  // index-only scans need not visit the table (the visibility map is set).
  if (db.dialect === 'postgres') {
    for (const table of ['contacts', 'responses', 'visits', 'ambassadors', 'referrals']) {
      await sql`vacuum analyze ${sql.table(table)}`.execute(db.kysely);
    }
  }
  return organisationId;
}

async function measure(db: Db, url: string, label: string): Promise<void> {
  const now = Date.now();
  const seeding = performance.now();
  const organisationId = await seed(db, now);
  report(`loyalty_seed_seconds_${label}`, (performance.now() - seeding) / 1000, 's');
  const visits = await db.kysely
    .selectFrom('visits')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organisation_id', '=', organisationId)
    .executeTakeFirstOrThrow();
  if (Number(visits.n) !== CONTACTS * VISITS_PER_CONTACT) {
    throw new Error(`seeded ${visits.n} visits`);
  }
  const rebuilding = performance.now();
  await rebuildLoyaltyFacts(db, now, organisationId);
  if (db.dialect === 'postgres') {
    await sql`vacuum analyze loyalty_contact_facts`.execute(db.kysely);
  }
  report(`loyalty_facts_rebuild_seconds_${label}`, (performance.now() - rebuilding) / 1000, 's');
  // The report is measured in a process of its own that opens the database and does nothing else
  // — as a server would answer the request — so its memory is the report's and not the seeding's
  // (this process holds the seed's garbage; its RSS said 533 MB on SQLite, the report's own share
  // about 5 MB). The peak is the operating system's high-water mark of that process (maxRSS).
  const measured = await measureInChild({
    url,
    options: db.dialect === 'postgres' && db.schema ? { schema: db.schema, poolSize: 4 } : {},
    organisationId,
    now,
  });
  report(`loyalty_report_ms_${label}`, measured.medianMs, 'ms');
  if (measured.cpuMs !== null) report(`loyalty_report_node_cpu_ms_${label}`, measured.cpuMs, 'ms');
  report(`loyalty_report_slowest_ms_${label}`, measured.slowestMs, 'ms');
  report(`loyalty_report_rss_before_${label}`, measured.rssBeforeMb, 'MB');
  report(`loyalty_report_peak_rss_${label}`, measured.peakRssMb, 'MB');
  if (measured.peakAnonMb !== null && measured.peakFileMb !== null) {
    report(`loyalty_report_peak_rss_anonymous_${label}`, measured.peakAnonMb, 'MB');
    report(`loyalty_report_peak_rss_mapped_files_${label}`, measured.peakFileMb, 'MB');
  }
  report(`loyalty_bench_process_rss_${label}`, process.memoryUsage.rss() / MB, 'MB');
  // The reference: the same two reads computed from the visits, as before the facts (once).
  if (process.env.BENCH_LOYALTY_REFERENCE !== '0') {
    const started = performance.now();
    const cpuBefore = cpuMsOf([process.pid]);
    let refPeak = process.memoryUsage.rss();
    const refTimer = setInterval(() => {
      refPeak = Math.max(refPeak, process.memoryUsage.rss());
    }, 10);
    try {
      await reference.followedAggregates(db.kysely, organisationId, now, 365);
      await reference.monthlyRevenue(db.kysely, organisationId, [
        { start: now - 395 * DAY, end: now - 365 * DAY },
        { start: now - 30 * DAY, end: now },
      ]);
    } finally {
      clearInterval(refTimer);
    }
    const cpuAfter = cpuMsOf([process.pid]);
    report(`loyalty_reference_old_reads_ms_${label}`, performance.now() - started, 'ms');
    if (cpuBefore !== null && cpuAfter !== null) {
      report(`loyalty_reference_old_reads_node_cpu_ms_${label}`, cpuAfter - cpuBefore, 'ms');
    }
    report(`loyalty_reference_old_reads_peak_rss_${label}`, refPeak / MB, 'MB');
  }
}

interface ChildInput {
  url: string;
  options: OpenOptions;
  organisationId: string;
  now: number;
}

interface ChildFigures {
  medianMs: number;
  slowestMs: number;
  cpuMs: number | null;
  rssBeforeMb: number;
  peakRssMb: number;
  /** The peak of the process's own memory and of the files it maps, sampled (Linux; else null). */
  peakAnonMb: number | null;
  peakFileMb: number | null;
}

/** Runs `measureReport` in a fresh Node process (this file with `--measure`) and reads its figures. */
async function measureInChild(input: ChildInput): Promise<ChildFigures> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), '--measure', JSON.stringify(input)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the report's process exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as ChildFigures;
}

/**
 * In the child: the report as the API computes it (`loyaltyReport`, for the owner: the whole
 * organisation), one warm-up and three measured runs; the median and slowest time, the process's
 * CPU time per report (on PostgreSQL the database's own work is in another process and not in
 * it), the RSS after opening the database and the process's peak RSS.
 */
async function measureReport(input: ChildInput): Promise<ChildFigures> {
  const db = await openDatabase(input.url, input.options);
  try {
    const before = process.memoryUsage.rss();
    let peakAnon: number | null = null;
    let peakFile: number | null = null;
    // Anonymous: the heap of Node and of SQLite, what the process itself holds; file-backed:
    // mapped files, for SQLite its database file (`mmap_size`), pages the kernel may drop.
    const sample = () => {
      const parts = residentMemoryOf(process.pid);
      if (!parts) return;
      peakAnon = Math.max(peakAnon ?? 0, parts.anonymous / MB);
      peakFile = Math.max(peakFile ?? 0, parts.file / MB);
    };
    sample();
    // SQLite works synchronously inside a statement: the samples land between statements, so the
    // split is sampled at every boundary and the total peak is the kernel's own high-water mark.
    const timer = setInterval(sample, 5);
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 4; i++) {
      const started = performance.now();
      const cpuBefore = cpuMsOf([process.pid]);
      const result = await loyaltyReport(
        db.kysely,
        input.organisationId,
        { kind: 'all' },
        input.now,
        365,
      );
      const ms = performance.now() - started;
      const cpuAfter = cpuMsOf([process.pid]);
      if (i > 0 && cpuBefore !== null && cpuAfter !== null) cpu.push(cpuAfter - cpuBefore);
      if (i > 0) times.push(ms);
      if (!result.categories.some((c) => c.customers > 0)) throw new Error('empty report');
      if (!result.earnedGrowth.some((m) => m.referredNewRevenue > 0)) {
        throw new Error('no referred revenue');
      }
    }
    clearInterval(timer);
    sample();
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    return {
      peakAnonMb: peakAnon,
      peakFileMb: peakFile,
      medianMs: times[1] ?? 0,
      slowestMs: times[times.length - 1] ?? 0,
      cpuMs: cpu.length ? (cpu[1] ?? 0) : null,
      rssBeforeMb: before / MB,
      // maxRSS is in kilobytes.
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    };
  } finally {
    await db.close();
  }
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'loyaal-loyalty-bench-'));
  try {
    report('loyalty_contacts', CONTACTS, 'contacts');
    report('loyalty_visits', CONTACTS * VISITS_PER_CONTACT, 'visits');
    if (benchSqlite()) {
      const file = `sqlite:${path.join(dir, 'loyaal.db')}`;
      const sqlite = await openDatabase(file);
      try {
        await migrateToLatest(sqlite);
        await measure(sqlite, file, 'sqlite');
      } finally {
        await sqlite.close();
      }
    } else sqliteSkipped();
    const url = benchPostgresUrl();
    if (!url) postgresSkipped();
    else {
      const schema = `bench_loyalty_${randomBytes(4).toString('hex')}`;
      const postgres = await openDatabase(url, { schema, poolSize: 4 });
      try {
        await migrateToLatest(postgres);
        await measure(postgres, url, 'postgres');
      } finally {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(postgres.kysely);
        await postgres.close();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--measure') {
    console.log(
      JSON.stringify(await measureReport(JSON.parse(process.argv[3] ?? '{}') as ChildInput)),
    );
  } else {
    await run();
  }
}
