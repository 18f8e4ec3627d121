import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import pg from 'pg';
import { openDatabase, type Db } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { dropFunnelTriggers } from '../src/db/migrations/0043-invitation-funnel-rollup.ts';
import { createClaimingFunnelTriggers } from '../src/db/migrations/0058-claimed-rollup-shards.ts';
import { partitionName, uuidv7Floor } from '../src/db/partitions.ts';
import { createApiKey } from '../src/modules/api-keys/api-keys.service.ts';
import { rebuildRollups } from '../src/modules/analytics/rollups.service.ts';
import { newId } from '../src/shared/ids.ts';
import { seedOrganisation } from '../test/support/bulk.ts';
import { seedOrganisationWithInvitations } from './responses.bench.ts';
import {
  benchPostgresUrl,
  benchSqlite,
  cpuMsOf,
  load,
  mappedBytesOf,
  postgresSkipped,
  report,
  residentMemoryOf,
  sqliteSkipped,
  startServerProcess,
} from './support.ts';

/**
 * The insight dashboards at scale (issue 10 must-show 2, issue 13 must-show 3): one organisation
 * with N synthetic answers over two years (500 account managers in 25 teams, 10 segments, one in
 * ten answers anonymous, the rest by email with their invitation), N/10 contacts. Seeded in SQL
 * (PostgreSQL `generate_series`, SQLite a recursive CTE, a million rows per statement), then:
 *
 * - `insight_rebuild_seconds`: the rollups rebuilt from scratch by the application's own path
 *   (`rebuildRollups`, what `loyaal rollups rebuild` runs), next to one full scan of the same
 *   answers grouped by score (`insight_scan_seconds`, the reference: what reading them once costs);
 * - per request of the owner's first screen (overview, summary, the weekly trend, the survey list,
 *   the open-case count, with the screen's own query: the last 90 days) and the breakdown per
 *   account manager, the time the server takes, measured over loopback by this process (median and
 *   p95 of 20 requests after 2 warm-ups, one at a time), next to GET /health's (the reference:
 *   what the HTTP round trip itself costs); target under 100 ms p95 at 10 million;
 * - the server process's peak memory (RSS) during those requests, next to its RSS before them
 *   (target under 300 MB), and what it is made of (Linux /proc): the process's own anonymous memory
 *   (Node's heap, SQLite's page cache) and the pages of mapped files (Node's binary and libraries;
 *   on SQLite also the database file read through `mmap_size`, reported on its own as
 *   `insight_server_mapped_database_*`).
 *
 * The app runs in a child process (`loyaal serve`, WORKER=off), authenticated by an owner's API
 * key. On PostgreSQL the invitations and the answers are spread over their monthly partitions
 * (migrations 0020 and 0048; docs/operations.md, "Monthly partitions").
 *
 * Sizes: INSIGHT_ANSWERS (comma-separated, default 1000000; 10000000 is not run by default — its
 * seeding takes twenty minutes or more and over 20 GB on PostgreSQL); BENCH_DATABASES (`sqlite,postgres`,
 * default both; PostgreSQL only with BENCH_DATABASE_URL or TEST_DATABASE_URL), as every suite. INSIGHT_KEEP=1
 * keeps the PostgreSQL database and prints its address; INSIGHT_REUSE_URL=<that address> measures
 * it again without seeding (drop it yourself afterwards).
 */
const DAY = 86_400_000;
const SPAN_DAYS = 730;
const EMPLOYEES = 500;
const TEAMS = 25;
const SEGMENTS = 10;
const CHUNK = 1_000_000;
const REQUESTS = 20;
const WARM_UP = 2;
const MB = 1024 * 1024;

type Dialect = Db['dialect'];

/** 12 hexadecimal digits of a non-negative integer expression. */
const hex12 = (dialect: Dialect, x: RawBuilder<unknown>) =>
  dialect === 'postgres' ? sql`lpad(to_hex(${x}), 12, '0')` : sql`printf('%012x', ${x})`;

/**
 * A UUIDv7-shaped id from a millisecond and a number unique within its table: the time in the
 * first 48 bits (so an invitation lands in its month's partition), the number in the last 48.
 */
function uuidOf(dialect: Dialect, ms: RawBuilder<unknown>, n: RawBuilder<unknown>) {
  const h = hex12(dialect, ms);
  return sql`substr(${h}, 1, 8) || '-' || substr(${h}, 9, 4) || '-7000-8000-' || ${hex12(dialect, n)}`;
}

/** The rows `i` from `first` to `last` inclusive, as a FROM item. */
const series = (dialect: Dialect, first: number, last: number) =>
  dialect === 'postgres'
    ? sql`generate_series(${sql.lit(first)}::bigint, ${sql.lit(last)}::bigint) as g(i)`
    : sql`(with recursive s(i) as (select ${sql.lit(first)} union all select i + 1 from s where i < ${sql.lit(last)}) select i from s) as g`;

export interface Seeded {
  organisationId: string;
  surveyId: string;
  secret: string;
}

/** Seeds one organisation with `answers` answers ending at `now`; see the file's comment. */
export async function seedInsight(db: Db, answers: number, now: number): Promise<Seeded> {
  const d = db.dialect;
  const organisationId = await seedOrganisation(db.kysely, 'Bench Inzicht BV', now);
  const { secret } = await db.kysely
    .transaction()
    .execute((trx) =>
      createApiKey(trx, { kind: 'system', organisationId }, { name: 'bench', role: 'owner' }, now),
    );
  const surveyId = newId();
  await db.kysely
    .insertInto('surveys')
    .values({
      id: surveyId,
      organisation_id: organisationId,
      name: 'Na het contact',
      status: 'active',
      settings: '{}',
      anonymous_token: newId(),
      created_at: now - SPAN_DAYS * DAY,
      updated_at: now,
    })
    .execute();
  const start = now - SPAN_DAYS * DAY;
  const contacts = Math.max(EMPLOYEES * SEGMENTS, Math.floor(answers / 10));
  const lit = (n: number) => sql.lit(n);
  const employeeId = (e: RawBuilder<unknown>) => uuidOf(d, sql`${lit(start - DAY)}`, e);
  const contactId = (c: RawBuilder<unknown>) => uuidOf(d, sql`${lit(start)}`, c);

  if (d === 'postgres') {
    // Monthly partitions of invitations and answers for the two years back (the migrations made
    // them only from the month they ran), so each row lands in its own month as in a long-running
    // install.
    for (const table of ['invitations', 'responses']) {
      for (let m = new Date(start); m.getTime() < now;) {
        const from = Date.UTC(m.getUTCFullYear(), m.getUTCMonth(), 1);
        const to = Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1);
        const name = partitionName(table, {
          year: m.getUTCFullYear(),
          month: m.getUTCMonth() + 1,
        });
        await sql`create table if not exists ${sql.id(name)} partition of ${sql.id(table)}
        for values from (${sql.lit(uuidv7Floor(from))}) to (${sql.lit(uuidv7Floor(to))})`
          .execute(db.kysely)
          .catch((e: unknown) => {
            // An existing month (created by the migration or the job) overlaps: keep it.
            if (!String(e).includes('overlap')) throw e;
          });
        m = new Date(to);
      }
    }
  }

  const e = sql`g.i`;
  await sql`insert into employees (id, organisation_id, name, email, team, search_text, created_at, updated_at)
    select ${employeeId(e)}, ${organisationId}, 'Accountmanager ' || g.i, null,
      'Team ' || (g.i % ${lit(TEAMS)}), 'accountmanager ' || g.i, ${lit(start)}, ${lit(start)}
    from ${series(d, 0, EMPLOYEES - 1)}`.execute(db.kysely);

  for (let first = 0; first < contacts; first += CHUNK) {
    const last = Math.min(contacts, first + CHUNK) - 1;
    const c = sql`g.i`;
    await sql`insert into contacts (id, organisation_id, external_id, name, first_name, salutation,
        email, email_key, phone, language, owner_employee_id, account_id, segment, location_id,
        attributes, consent_status, consent_source, consent_at, unsubscribed_at, bounced_at,
        erased_at, search_text, created_at, updated_at)
      select ${contactId(c)}, ${organisationId}, 'K' || g.i, 'Klant ' || g.i, null, null,
        'klant' || g.i || '@bench.example', 'klant' || g.i || '@bench.example', null, 'nl',
        ${employeeId(sql`(g.i % ${lit(EMPLOYEES)})`)}, null,
        'Segment ' || ((g.i / ${lit(EMPLOYEES)}) % ${lit(SEGMENTS)}), null, '{}', 'unknown', null,
        null, null, null, null, 'klant ' || g.i, ${lit(start)}, ${lit(start)}
      from ${series(d, first, last)}`.execute(db.kysely);
  }

  // Per answer i: its moment (evenly over the two years, in order), its contact c = 7919·i mod C
  // (spread over all contacts) and through it the account manager (c mod 500) and segment; one
  // answer in ten is anonymous.
  // Scores from a multiplicative hash, shifted per account manager so that they differ (NPS
  // between about +15 and +45); one answer in eight has a comment.
  const at = sql`(${lit(start)} + (g.i * ${lit(SPAN_DAYS * DAY)}) / ${lit(answers)})`;
  const c = sql`((g.i * 7919) % ${lit(contacts)})`;
  const emp = sql`(${c} % ${lit(EMPLOYEES)})`;
  const anonymous = sql`((g.i / 7) % 10 = 9)`;
  // Knuth's multiplicative hash: the high bits of the 32-bit product are well mixed.
  const h = sql`((((g.i * 2654435761) % 4294967296) / 42949673 + 100 + (${emp} % 20) - 10) % 100)`;
  const score = sql`(case when ${h} < 18 then ${h} % 7 when ${h} < 45 then 7 + ${h} % 2 else 9 + ${h} % 2 end)`;
  const planned = sql`(${at} - ${lit(2 * DAY)})`;
  for (let first = 0; first < answers; first += CHUNK) {
    const last = Math.min(answers, first + CHUNK) - 1;
    await db.kysely.transaction().execute(async (trx) => {
      await sql`insert into invitations (id, organisation_id, survey_id, send_id, contact_id,
          account_id, channel, token, message_id, status, planned_at, sent_at, clicked_at,
          responded_at, bounced_at, reminder_planned_at, reminder_sent_at, expires_at, created_at,
          skip_reason)
        select ${uuidOf(d, planned, sql`g.i`)}, ${organisationId}, ${surveyId}, null,
          ${contactId(c)}, null, 'email', 'bench-' || g.i, '<bench-' || g.i || '@bench.loyaal>',
          'sent', ${planned}, ${planned}, ${at}, ${at}, null, null, null, ${planned} + ${lit(30 * DAY)},
          ${planned}, null
        from ${series(d, first, last)}
        where not ${anonymous}`.execute(trx);
      await sql`insert into responses (id, organisation_id, survey_id, invitation_id, contact_id,
          channel, score, category, comment, employee_score, may_contact, ambassador_opt_in, locale,
          owner_employee_id, account_id, segment, location_id, device_key, answered_at, updated_at,
          closes_at, created_at, anonymised_at)
        select ${uuidOf(d, at, sql`g.i`)}, ${organisationId}, ${surveyId},
          case when ${anonymous} then null else ${uuidOf(d, planned, sql`g.i`)} end,
          case when ${anonymous} then null else ${contactId(c)} end,
          case when ${anonymous} then 'anonymous' else 'email' end,
          ${score},
          case when ${score} >= 9 then 'promoter' when ${score} >= 7 then 'passive' else 'detractor' end,
          case when g.i % 8 <> 0 then null
            when ${score} >= 9 then 'Vriendelijk personeel en snel geholpen, dank u wel'
            when ${score} >= 7 then 'Prima, maar de prijs is aan de hoge kant'
            else 'Lange wachttijd en niemand belde terug' end,
          case when g.i % 5 = 0 and not ${anonymous} then ${score} else null end,
          case when ${score} < 7 and g.i % 3 = 0 then 1 else 0 end, 0, 'nl',
          case when ${anonymous} then null else ${employeeId(emp)} end, null,
          case when ${anonymous} then null else 'Segment ' || ((${c} / ${lit(EMPLOYEES)}) % ${lit(SEGMENTS)}) end,
          null, case when ${anonymous} then 'bench-device-' || g.i else null end,
          ${at}, ${at}, ${at} + ${lit(30 * DAY)}, ${at}, null
        from ${series(d, first, last)}`.execute(trx);
    });
  }
  // A settled database: statistics for the planner and (PostgreSQL) the visibility map set, as
  // autovacuum / a periodic ANALYZE leave a production database.
  if (d === 'postgres') {
    for (const table of ['employees', 'contacts', 'invitations', 'responses']) {
      await sql`vacuum analyze ${sql.table(table)}`.execute(db.kysely);
    }
  } else {
    await sql`analyze`.execute(db.kysely);
  }
  return { organisationId, surveyId, secret };
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;

/** Today's local date in the Netherlands shifted by whole days, as the admin app sends it. */
function localDay(offsetDays: number, now: number): string {
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(now);
  const [y, m, dd] = today.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (dd ?? 1) + offsetDays))
    .toISOString()
    .slice(0, 10);
}

async function timed(url: string, headers: Record<string, string>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARM_UP + REQUESTS; i++) {
    const started = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    const ms = performance.now() - started;
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    if (i >= WARM_UP) times.push(ms);
  }
  return times.sort((a, b) => a - b);
}

/**
 * A database seeded by an earlier run kept with INSIGHT_KEEP (PostgreSQL): its organisation, and
 * a new owner's API key for this run. The answers end at the earlier run's moment, a few minutes
 * or hours before this one's; the screens' last 90 days shift by as much.
 */
async function reuseSeeded(db: Db, now: number): Promise<Seeded> {
  const org = await db.kysely
    .selectFrom('organisations')
    .select('id')
    .where('name', '=', 'Bench Inzicht BV')
    .executeTakeFirstOrThrow();
  const survey = await db.kysely
    .selectFrom('surveys')
    .select('id')
    .where('organisation_id', '=', org.id)
    .executeTakeFirstOrThrow();
  const { secret } = await db.kysely
    .transaction()
    .execute((trx) =>
      createApiKey(
        trx,
        { kind: 'system', organisationId: org.id },
        { name: 'bench again', role: 'owner' },
        now,
      ),
    );
  return { organisationId: org.id, surveyId: survey.id, secret };
}

async function measure(
  label: string,
  databaseUrl: string,
  answers: number,
  reuse = false,
): Promise<void> {
  const size = answers >= 1_000_000 ? `${answers / 1_000_000}m` : `${answers / 1000}k`;
  const tag = `${size}_${label}`;
  const now = Date.now();
  const db = await openDatabase(databaseUrl);
  let seeded: Seeded;
  if (reuse) {
    try {
      seeded = await reuseSeeded(db, now);
    } finally {
      await db.close();
    }
    return measureRequests(tag, databaseUrl, seeded, now);
  }
  try {
    const seeding = performance.now();
    seeded = await seedInsight(db, answers, now);
    report(`insight_seed_seconds_${tag}`, (performance.now() - seeding) / 1000, 's');
    const stored = await db.kysely
      .selectFrom('responses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('organisation_id', '=', seeded.organisationId)
      .executeTakeFirstOrThrow();
    if (Number(stored.n) !== answers) throw new Error(`seeded ${stored.n} answers`);

    const scanning = performance.now();
    await sql`select score, count(*) from responses where organisation_id = ${seeded.organisationId}
      group by score`.execute(db.kysely);
    report(`insight_scan_seconds_${tag}`, (performance.now() - scanning) / 1000, 's');
    const rebuilding = performance.now();
    const rebuilt = await rebuildRollups(db, seeded.organisationId);
    report(`insight_rebuild_seconds_${tag}`, (performance.now() - rebuilding) / 1000, 's');
    report(`insight_rebuild_days_${tag}`, rebuilt.days, 'days');
    if (db.dialect === 'postgres') {
      for (const table of [
        'rollup_nps_daily',
        'rollup_nps_employee_daily',
        'rollup_nps_employee_weekly',
        'rollup_invitation_funnel',
      ]) {
        await sql`vacuum analyze ${sql.table(table)}`.execute(db.kysely);
      }
    } else {
      await sql`analyze`.execute(db.kysely);
    }
  } finally {
    await db.close();
  }
  await measureRequests(tag, databaseUrl, seeded, now);
}

/** The screens' requests, their CPU and the server's memory; then the upkeep figures. */
async function measureRequests(
  tag: string,
  databaseUrl: string,
  seeded: Seeded,
  now: number,
): Promise<void> {
  const server = await startServerProcess({ DATABASE_URL: databaseUrl });
  try {
    const pid = server.child.pid ?? 0;
    const headers = { authorization: `Bearer ${seeded.secret}` };
    const api = (p: string, q: Record<string, string>) =>
      `${server.url}/api/v1${p}?${new URLSearchParams(q).toString()}`;
    // The first screen's own query: the last 90 local days, today included (insight.screen.tsx).
    const period = { from: localDay(-89, now), to: localDay(0, now) };
    const requests: Array<[string, string]> = [
      ['overview', api('/results/overview', period)],
      ['summary', api('/results/summary', period)],
      ['trend_week', api('/results/trend', { ...period, interval: 'week' })],
      ['trend_month_12', api('/results/trend', { interval: 'month' })],
      ['surveys', api('/surveys', { limit: '100' })],
      [
        'open_cases',
        api('/cases', { status: 'active', kind: 'recovery', limit: '1', total: 'true' }),
      ],
      ['breakdown_employee', api('/results/breakdown', { ...period, dimension: 'employee' })],
      ['breakdown_team', api('/results/breakdown', { ...period, dimension: 'team' })],
      ['breakdown_segment', api('/results/breakdown', { ...period, dimension: 'segment' })],
    ];
    // The server process and, on PostgreSQL, every backend of this database (the app's pool).
    const serverAndBackends = async () => {
      const pids = [pid];
      if (databaseUrl.startsWith('postgres')) {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          const { rows } = await client.query<{ pid: number }>(
            'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
          );
          pids.push(...rows.map((r) => r.pid));
        } finally {
          await client.end();
        }
      }
      return pids;
    };
    const health = await timed(`${server.url}/health`, {});
    report(`insight_health_p95_ms_${tag}`, quantile(health, 0.95), 'ms');
    const before = residentMemoryOf(pid);
    // The peak, and the peaks of its two parts: the process's own (anonymous) memory and the
    // pages of mapped files (Node's binary and libraries; on SQLite the database file read
    // through `mmap_size`, which the kernel shares with its file cache).
    const peak = {
      rss: before?.rss ?? 0,
      anonymous: before?.anonymous ?? 0,
      file: before?.file ?? 0,
    };
    const sample = () => {
      const now = residentMemoryOf(pid);
      if (!now) return;
      peak.rss = Math.max(peak.rss, now.rss);
      peak.anonymous = Math.max(peak.anonymous, now.anonymous);
      peak.file = Math.max(peak.file, now.file);
    };
    const sampler = setInterval(sample, 10);
    try {
      for (const [name, url] of requests) {
        const processes = await serverAndBackends();
        const cpuBefore = cpuMsOf(processes);
        const times = await timed(url, headers);
        // A backend the pool opened meanwhile counts from zero.
        const cpuAfter = cpuMsOf([...new Set([...processes, ...(await serverAndBackends())])]);
        report(`insight_${name}_median_ms_${tag}`, quantile(times, 0.5), 'ms');
        report(`insight_${name}_p95_ms_${tag}`, quantile(times, 0.95), 'ms');
        // CPU per request (server, and PostgreSQL's backends): hardly moved by a busy machine.
        if (cpuBefore !== null && cpuAfter !== null) {
          report(
            `insight_${name}_cpu_ms_${tag}`,
            (cpuAfter - cpuBefore) / (WARM_UP + REQUESTS),
            'ms',
          );
        }
      }
    } finally {
      clearInterval(sampler);
    }
    sample();
    const after = residentMemoryOf(pid);
    if (before && after) {
      report(`insight_server_rss_before_${tag}`, before.rss / MB, 'MB');
      report(`insight_server_peak_rss_${tag}`, peak.rss / MB, 'MB');
      report(`insight_server_hwm_${tag}`, after.hwm / MB, 'MB');
      report(`insight_server_rss_anonymous_before_${tag}`, before.anonymous / MB, 'MB');
      report(`insight_server_peak_rss_anonymous_${tag}`, peak.anonymous / MB, 'MB');
      report(`insight_server_rss_mapped_files_before_${tag}`, before.file / MB, 'MB');
      report(`insight_server_peak_rss_mapped_files_${tag}`, peak.file / MB, 'MB');
      // Of the mapped files, the database's own pages (SQLite's mmap): resident until the kernel
      // needs them back, so the figure after the requests is also their peak.
      if (databaseUrl.startsWith('sqlite:')) {
        const mapped = mappedBytesOf(pid, databaseUrl.replace(/^sqlite:/, ''));
        if (mapped !== null) report(`insight_server_mapped_database_${tag}`, mapped / MB, 'MB');
      }
    }
    const [one, five] = loadavg();
    report(`insight_load_1min_${tag}`, one ?? 0, 'load');
    report(`insight_load_5min_${tag}`, five ?? 0, 'load');
  } finally {
    await server.stop();
  }
  if (process.env.INSIGHT_UPKEEP !== 'off') await upkeep(tag, databaseUrl);
}

const ipOf = (n: number): string => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/**
 * The answer endpoint with and without rollup upkeep (target: with at least 80 % of without): the
 * same first answers as responses.bench.ts (`POST /r/:token`, each to a fresh invitation, 50
 * connections for 10 s) to two new organisations in the database just measured, one through a
 * normal server and one through a server whose rollup subscriber does nothing
 * (bench/hooks/without-rollup-upkeep.ts) while the funnel rollup's triggers are dropped. Also the CPU per stored answer of the server and (on
 * PostgreSQL) its backends, which other work on the machine hardly moves.
 */
async function upkeep(tag: string, databaseUrl: string): Promise<void> {
  const db = await openDatabase(databaseUrl);
  try {
    const invitations = db.dialect === 'postgres' ? 50_000 : 80_000;
    const off = await seedOrganisationWithInvitations(db, invitations, 'default');
    const on = await seedOrganisationWithInvitations(db, invitations, 'default');
    const answersOf = async (org: string) =>
      Number(
        (
          await db.kysely
            .selectFrom('responses')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('organisation_id', '=', org)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const answer = async (
      tokens: string[],
      organisationId: string,
      firstIp: number,
      nodeArgs: string[],
    ) => {
      const server = await startServerProcess(
        { DATABASE_URL: databaseUrl, TRUST_PROXY: '1' },
        { nodeArgs },
      );
      try {
        const pids = async () => {
          const list = server.child.pid === undefined ? [] : [server.child.pid];
          if (db.dialect === 'postgres') {
            const backends = await sql<{ pid: number }>`select pid from pg_stat_activity
              where datname = current_database() and pid <> pg_backend_pid()`.execute(db.kysely);
            list.push(...backends.rows.map((r) => r.pid));
          }
          return list;
        };
        const pidsBefore = await pids();
        const cpuBefore = cpuMsOf(pidsBefore);
        let count = 0;
        const result = await load({
          url: server.url,
          duration: 10,
          requests: [
            {
              method: 'POST',
              setupRequest: (req) => {
                const i = count++;
                return {
                  ...req,
                  path: `/r/${tokens[i % tokens.length]}`,
                  headers: {
                    'content-type': 'application/json',
                    'x-forwarded-for': ipOf(firstIp + i),
                  },
                  body: JSON.stringify({ score: i % 11 }),
                };
              },
            },
          ],
        });
        if (result.non2xx > 0 || result.errors > 0) {
          console.error(`warning: ${result.non2xx} non-2xx, ${result.errors} errors`);
        }
        if (count > tokens.length) console.error(`warning: ${count - tokens.length} repeats`);
        const cpuAfter = cpuMsOf([...new Set([...pidsBefore, ...(await pids())])]);
        const stored = await answersOf(organisationId);
        const cpuPerAnswer =
          cpuBefore === null || cpuAfter === null || stored === 0
            ? null
            : (cpuAfter - cpuBefore) / stored;
        return { rps: result.rps, p99: result.p99, cpuPerAnswer };
      } finally {
        await server.stop();
      }
    };
    const hook = new URL('./hooks/without-rollup-upkeep.ts', import.meta.url).href;
    // Without upkeep: the NPS rollups' subscriber stubbed and the funnel's triggers (migration
    // 0043) dropped for that server's run.
    await dropFunnelTriggers(db.kysely as unknown as Kysely<unknown>);
    let without: Awaited<ReturnType<typeof answer>>;
    try {
      without = await answer(off.tokens, off.organisationId, 3_000_000, ['--import', hook]);
    } finally {
      await createClaimingFunnelTriggers(db.kysely as unknown as Kysely<unknown>);
    }
    const withUpkeep = await answer(on.tokens, on.organisationId, 4_000_000, []);
    // The upkeep really ran, and really did not: the rollups of each organisation.
    const counted = async (org: string) =>
      Number(
        (
          await sql<{ n: number | string | null }>`select sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7
            + s8 + s9 + s10) as n from rollup_nps_daily where organisation_id = ${org}`.execute(
            db.kysely,
          )
        ).rows[0]?.n ?? 0,
      );
    const funnelAnswered = async (org: string) =>
      Number(
        (
          await sql<{ n: number | string | null }>`select sum(answered) as n
            from rollup_invitation_funnel where organisation_id = ${org}`.execute(db.kysely)
        ).rows[0]?.n ?? 0,
      );
    if (
      (await counted(off.organisationId)) !== 0 ||
      (await funnelAnswered(off.organisationId)) !== 0
    ) {
      throw new Error('upkeep ran while off');
    }
    const answeredOn = await answersOf(on.organisationId);
    if (
      (await counted(on.organisationId)) !== answeredOn ||
      (await funnelAnswered(on.organisationId)) !== answeredOn
    ) {
      throw new Error('rollups and answers disagree');
    }
    report(`insight_answers_rps_upkeep_off_${tag}`, without.rps, 'req/s');
    report(`insight_answers_rps_upkeep_on_${tag}`, withUpkeep.rps, 'req/s');
    report(`insight_answers_p99_upkeep_on_${tag}`, withUpkeep.p99, 'ms');
    report(`insight_answers_upkeep_on_to_off_${tag}`, withUpkeep.rps / without.rps, 'ratio');
    if (without.cpuPerAnswer !== null && withUpkeep.cpuPerAnswer !== null) {
      report(`insight_answers_cpu_per_answer_upkeep_off_${tag}`, without.cpuPerAnswer, 'ms');
      report(`insight_answers_cpu_per_answer_upkeep_on_${tag}`, withUpkeep.cpuPerAnswer, 'ms');
      report(
        `insight_answers_cpu_upkeep_off_to_on_${tag}`,
        without.cpuPerAnswer / withUpkeep.cpuPerAnswer,
        'ratio',
      );
    }
  } finally {
    await db.close();
  }
}

/** Sizes to run (see the file's comment). */
function sizes(): number[] {
  return (process.env.INSIGHT_ANSWERS ?? '1000000')
    .split(',')
    .map((s) => Number(s.trim().replace(/_/g, '')))
    .filter((n) => Number.isInteger(n) && n >= 10_000);
}

export async function run(): Promise<void> {
  for (const answers of sizes()) {
    report('insight_answers', answers, 'answers');
    if (!benchSqlite()) sqliteSkipped('insight SQLite');
    else {
      const dir = mkdtempSync(path.join(process.env.INSIGHT_DIR ?? tmpdir(), 'loyaal-insight-'));
      try {
        // About 600 bytes per answer with its invitation, indexes and WAL.
        const free = statfsSync(dir);
        const needed = answers * 600;
        if (free.bavail * free.bsize < needed * 1.5) {
          console.log(`# insight ${answers} sqlite skipped: under ${(needed * 1.5) / 1e9} GB free`);
        } else {
          const file = path.join(dir, 'insight.db');
          const db = await openDatabase(`sqlite:${file}`);
          await migrateToLatest(db);
          await db.close();
          await measure('sqlite', `sqlite:${file}`, answers);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const pgUrl = benchPostgresUrl();
    if (!pgUrl) {
      postgresSkipped('insight PostgreSQL');
      continue;
    }
    // INSIGHT_REUSE_URL: a database an earlier run kept (INSIGHT_KEEP=1) — measured again as it
    // is, without seeding it anew (tens of minutes at 10 million).
    const reuse = process.env.INSIGHT_REUSE_URL;
    if (reuse) {
      await measure('postgres', reuse, answers, true);
      continue;
    }
    const name = `loyaal_insight_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(pgUrl);
    url.pathname = `/${name}`;
    try {
      const db = await openDatabase(url.toString());
      await migrateToLatest(db);
      await db.close();
      await measure('postgres', url.toString(), answers);
    } finally {
      if (process.env.INSIGHT_KEEP === '1') {
        console.log(`# insight database kept: INSIGHT_REUSE_URL=${url.toString()}`);
      } else {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
      await admin.end();
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
