import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { InvitationTable } from '../src/db/schema.ts';
import {
  writeSubmissions,
  type InvitationSubmission,
} from '../src/modules/responses/response-writer.ts';
import { makeDeps } from '../src/server/start.ts';
import { newId, newToken } from '../src/shared/ids.ts';
import { insertBulkContacts, seedOrganisation } from '../test/support/bulk.ts';
import {
  benchPostgresUrl,
  benchSqlite,
  cpuMsOf,
  load,
  postgresSkipped,
  report,
  sqliteSkipped,
  startServerProcess,
} from './support.ts';

/**
 * Response submissions under load: `POST /r/:token` with `{ score }`, the request the response page's
 * script sends the moment a respondent opens the link. Each POST uses a DIFFERENT pre-created
 * invitation (a first answer: an INSERT plus the invitation's responded_at), never a repeated
 * update, while the pool lasts; the pool is sized above what 10 s can use, and the report says how
 * many requests (if any) wrapped around to an update.
 *
 * The server runs in a child process (`loyaal serve`, WORKER=off), autocannon in this one, so the
 * two do not share an event loop. A 2xx is only sent after the answer's transaction commits
 * (group commit, see src/modules/responses/response-writer.ts): on SQLite with WAL and
 * synchronous=NORMAL that means written to the WAL, which survives a crash of the process (a power
 * loss may lose the last commits before the next checkpoint's fsync); on PostgreSQL it is a normal
 * durable COMMIT. The public rate limit stays on; each request comes from its own
 * X-Forwarded-For address (TRUST_PROXY=1: the bench stands in for the one proxy), as respondents do.
 */
/** Customers of the first figure's organisation (each answers many invitations in turn). */
const CONTACTS = 1_000;

/**
 * The scores of the closed-loop figures, in turn: what a Dutch business typically hears. 5 of 20
 * are detractors (25 %: every one a case), 9 passives (45 %), 6 promoters (30 %); an NPS of +5.
 * The first figure keeps its even spread over 0–10 (7 of 11 detractors), so it stays comparable.
 */
export const SCORE_MIX = [2, 4, 5, 6, 6, 7, 7, 7, 7, 8, 8, 8, 8, 8, 9, 9, 9, 9, 10, 10] as const;
const mixScore = (i: number): number => SCORE_MIX[i % SCORE_MIX.length] ?? 8;
const detractorShare = SCORE_MIX.filter((s) => s <= 6).length / SCORE_MIX.length;

/** A repeatable shuffle (the same order on every run), so customers answer in no special order. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let state = 0x2545f491;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * How the organisation reacts to an answer: `default` as a new organisation (cases on, no webhook
 * endpoint), `loop-off` with cases switched off and no endpoint, `loop-on` with cases on and one
 * enabled webhook endpoint subscribed to every answer and case event (issue 9, must-show 5). The
 * bench runs the server without a worker, so deliveries are enqueued (a row per event, and a job per
 * endpoint for the answer batch and the case events it caused, in the answer's transaction) and
 * never sent: the cost measured is the answer path's, as intended.
 *
 * The two loop organisations are warm, as a business a season into its programme: one customer per
 * invitation (a customer is asked at most twice a year, so a detractor almost always opens a case
 * of their own rather than joining one), and one customer in ten answered before, two months ago,
 * through the application's own answer path (answers, rollups, cases, case log, deliveries). Nine
 * in ten of those earlier cases have been resolved, their jobs run and their deliveries delivered;
 * the rest are still open, so a new complaint of those customers joins their case.
 */
export type LoopVariant = 'default' | 'loop-off' | 'loop-on';

export async function seed(
  db: Db,
  invitations: number,
  variant: LoopVariant = 'default',
): Promise<string[]> {
  return (await seedOrganisationWithInvitations(db, invitations, variant)).tokens;
}

/** A batch of sent invitations, one per contact given, planned and sent at `at`. */
function invitationRows(
  organisationId: string,
  surveyId: string,
  contactIds: readonly string[],
  at: number,
): InvitationTable[] {
  return contactIds.map((contactId) => ({
    id: newId(),
    organisation_id: organisationId,
    survey_id: surveyId,
    send_id: null,
    contact_id: contactId,
    account_id: null,
    channel: 'email',
    token: newToken(),
    message_id: `<${newId()}@bench.loyaal>`,
    status: 'sent',
    planned_at: at,
    sent_at: at,
    clicked_at: null,
    responded_at: null,
    bounced_at: null,
    reminder_planned_at: null,
    reminder_sent_at: null,
    expires_at: at + 30 * 86_400_000,
    created_at: at,
    skip_reason: null,
  }));
}

async function insertInvitations(db: Db, rows: readonly InvitationTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db.kysely
      .insertInto('invitations')
      .values(rows.slice(i, i + 1000))
      .execute();
  }
}

/**
 * Two months of history for a loop organisation: these customers answered (scores in
 * `SCORE_MIX`'s turn) through `writeSubmissions`, in batches as the server writes them; then staff
 * worked the cases (nine in ten resolved), the worker ran the jobs and sent the deliveries.
 */
async function answerHistory(
  db: Db,
  organisationId: string,
  surveyId: string,
  contactIds: readonly string[],
  now: number,
): Promise<void> {
  const then = now - 60 * 86_400_000;
  const rows = invitationRows(organisationId, surveyId, contactIds, then);
  await insertInvitations(db, rows);
  const deps = makeDeps(db, loadConfig({ DATABASE_URL: 'sqlite::memory:' }));
  for (let i = 0; i < rows.length; i += 256) {
    const submissions: InvitationSubmission[] = rows.slice(i, i + 256).map((row, j) => ({
      token: row.token,
      mode: 'score',
      answer: {
        score: mixScore(i + j),
        comment: null,
        employeeScore: null,
        mayContact: false,
        ambassadorOptIn: false,
      },
      now: then + 3_600_000 + i,
    }));
    await db.kysely.transaction().execute((trx) => writeSubmissions(trx, deps, submissions));
  }
  const cases = await db.kysely
    .selectFrom('cases')
    .select(['id', 'opened_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('id')
    .execute();
  const resolved = cases.filter((_, n) => n % 10 !== 0).map((c) => c.id);
  for (let i = 0; i < resolved.length; i += 500) {
    await db.kysely
      .updateTable('cases')
      .set({
        status: 'resolved',
        first_contact_at: then + 86_400_000,
        closed_at: then + 2 * 86_400_000,
        updated_at: then + 2 * 86_400_000,
      })
      .where('organisation_id', '=', organisationId)
      .where('id', 'in', resolved.slice(i, i + 500))
      .execute();
  }
  await db.kysely
    .updateTable('jobs')
    .set({ status: 'done', attempts: 1, finished_at: then + 3_600_000 })
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'queued')
    .execute();
  await db.kysely
    .updateTable('webhook_deliveries')
    .set({ status: 'delivered', attempts: 1, delivered_at: then + 3_600_000 })
    .where('organisation_id', '=', organisationId)
    .execute();
}

/** As `seed`, and says which organisation it made (the loop figures count that one's rows only). */
export async function seedOrganisationWithInvitations(
  db: Db,
  invitations: number,
  variant: LoopVariant,
): Promise<{ organisationId: string; tokens: string[] }> {
  const now = Date.now();
  const organisationId = await seedOrganisation(db.kysely, `Bench BV ${variant}`, now);
  if (variant === 'loop-off') {
    await db.kysely
      .updateTable('organisations')
      .set({ settings: JSON.stringify({ cases: { enabled: false } }) })
      .where('id', '=', organisationId)
      .execute();
  }
  if (variant === 'loop-on') {
    await db.kysely
      .insertInto('webhook_endpoints')
      .values({
        id: newId(),
        organisation_id: organisationId,
        url: 'https://hooks.example.nl/loyaal',
        description: 'bench',
        events: JSON.stringify([
          'response.created',
          'response.updated',
          'case.opened',
          'case.updated',
          'case.resolved',
        ]),
        format: 'standard',
        enabled: 1,
        disabled_reason: null,
        // Never unsealed: without a worker no delivery is attempted.
        secret_sealed: 'bench-not-a-sealed-secret',
        previous_secret_sealed: null,
        previous_secret_until: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  const surveyId = newId();
  await db.kysely
    .insertInto('surveys')
    .values({
      id: surveyId,
      organisation_id: organisationId,
      name: 'Bench NPS',
      status: 'active',
      settings: '{}',
      anonymous_token: newToken(),
      created_at: now,
      updated_at: now,
    })
    .execute();
  const warm = variant !== 'default';
  const contacts = await insertBulkContacts(
    db.kysely,
    organisationId,
    warm ? invitations : CONTACTS,
    now,
    {
      englishEvery: Number.MAX_SAFE_INTEGER,
      externalId: (n) => `K${n}`,
      segment: (n) => (n % 3 === 0 ? 'zakelijk' : 'particulier'),
    },
  );
  const contactIds = contacts.map((c) => c.id);
  if (warm) {
    await answerHistory(
      db,
      organisationId,
      surveyId,
      contactIds.slice(0, Math.floor(invitations / 10)),
      now,
    );
  }
  const pool = Array.from(
    { length: invitations },
    (_, j) => contactIds[j % contactIds.length] ?? '',
  );
  const rows = invitationRows(organisationId, surveyId, warm ? shuffled(pool) : pool, now);
  await insertInvitations(db, rows);
  if (db.dialect === 'postgres') {
    await sql`analyze`.execute(db.kysely);
  }
  return { organisationId, tokens: rows.map((r) => r.token) };
}

/**
 * The two references of the answer targets (bench/reference-server.ts): requests per second
 * of a server that only inserts a row per answer, one commit per request and grouped, measured as
 * the answers are (50 connections, 10 s, a token per request), on a database of their own.
 */
async function referenceFigures(
  label: string,
  databaseUrl: string,
): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  for (const mode of ['plain', 'grouped'] as const) {
    const server = await startServerProcess(
      { DATABASE_URL: databaseUrl, REFERENCE_MODE: mode },
      { command: ['bench/reference-server.ts'] },
    );
    try {
      let count = 0;
      const outcome = await load({
        url: server.url,
        duration: 10,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => ({
              ...req,
              path: `/r/${newToken()}`,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ score: count++ % 11 }),
            }),
          },
        ],
      });
      if (outcome.non2xx > 0 || outcome.errors > 0) {
        console.error(
          `warning: reference ${mode}: ${outcome.non2xx} non-2xx, ${outcome.errors} errors`,
        );
      }
      report(`reference_insert_${mode}_rps_${label}`, outcome.rps, 'req/s');
      figures[mode] = outcome.rps;
    } finally {
      await server.stop();
    }
  }
  return figures;
}

const ipOf = (n: number): string => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

async function measure(
  label: string,
  databaseUrl: string,
  referenceUrl: string,
  invitations: number,
  loopInvitations: number,
): Promise<void> {
  const reference = await referenceFigures(label, referenceUrl);
  const db = await openDatabase(databaseUrl);
  const started = Date.now();
  const { organisationId, tokens } = await seedOrganisationWithInvitations(
    db,
    invitations,
    'default',
  );
  console.log(`# ${label}: seeded ${tokens.length} invitations in ${Date.now() - started} ms`);
  const server = await startServerProcess({ DATABASE_URL: databaseUrl, TRUST_PROXY: '1' });
  try {
    const health = await load({ url: `${server.url}/health`, duration: 10 });
    report(`health_rps_${label}`, health.rps, 'req/s');
    report(`health_p99_${label}`, health.p99, 'ms');

    // The server process and, on PostgreSQL, the backends serving this database.
    const processes = async () => {
      const pids = server.child.pid === undefined ? [] : [server.child.pid];
      if (db.dialect === 'postgres') {
        const backends = await sql<{ pid: number }>`
          select pid from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()`.execute(db.kysely);
        pids.push(...backends.rows.map((r) => r.pid));
      }
      return pids;
    };

    const rowsOf = async (
      table: 'responses' | 'cases' | 'case_responses' | 'webhook_deliveries',
      org: string,
    ) =>
      Number(
        (
          await db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('organisation_id', '=', org)
            .executeTakeFirstOrThrow()
        ).n,
      );

    const answer = async (
      list: string[],
      firstIp: number,
      org: string,
      scoreOf: (i: number) => number,
    ) => {
      const storedBefore = await rowsOf('responses', org);
      const pidsBefore = await processes();
      const cpuBefore = cpuMsOf(pidsBefore);
      let count = 0;
      const outcome = await load({
        url: server.url,
        duration: 10,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const i = count++;
              return {
                ...req,
                path: `/r/${list[i % list.length]}`,
                headers: {
                  'content-type': 'application/json',
                  'x-forwarded-for': ipOf(firstIp + i),
                },
                body: JSON.stringify({ score: scoreOf(i) }),
              };
            },
          },
        ],
      });
      if (outcome.non2xx > 0 || outcome.errors > 0) {
        console.error(`warning: ${outcome.non2xx} non-2xx, ${outcome.errors} errors`);
      }
      // Same processes before and after (a backend that started meanwhile counts from zero).
      const pidsAfter = [...new Set([...pidsBefore, ...(await processes())])];
      const cpuAfter = cpuMsOf(pidsAfter);
      const stored = (await rowsOf('responses', org)) - storedBefore;
      const cpuMsPerAnswer =
        cpuBefore === null || cpuAfter === null || stored === 0
          ? null
          : (cpuAfter - cpuBefore) / stored;
      return { result: outcome, n: count, stored, cpuMsPerAnswer };
    };
    const { result, n, cpuMsPerAnswer } = await answer(tokens, 0, organisationId, (i) => i % 11);
    const stored = await db.kysely
      .selectFrom('responses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const sent = Math.min(n, tokens.length);
    report(`responses_rps_${label}`, result.rps, 'req/s');
    report(`responses_p99_${label}`, result.p99, 'ms');
    if (cpuMsPerAnswer !== null) {
      report(`responses_cpu_per_answer_${label}`, cpuMsPerAnswer, 'ms');
    }
    report(`responses_to_health_ratio_${label}`, result.rps / health.rps, 'ratio');
    for (const [mode, rps] of Object.entries(reference)) {
      report(`responses_to_reference_${mode}_ratio_${label}`, result.rps / rps, 'ratio');
    }
    report(`responses_stored_${label}`, Number(stored.n), 'rows');
    report(`responses_repeated_updates_${label}`, Math.max(0, n - tokens.length), 'requests');
    if (Number(stored.n) < sent - result.non2xx - result.errors - 50) {
      console.error(`warning: ${sent} distinct answers sent but only ${stored.n} stored`);
    }

    // The closed loop's cost on the answer path (issue 9, target: on at least 80 % of off). The
    // two warm organisations are seeded before either run, each on invitations of its own, and the
    // addresses continue where the runs before left off so that no rate-limit window is shared.
    const started2 = Date.now();
    const off = await seedOrganisationWithInvitations(db, loopInvitations, 'loop-off');
    const on = await seedOrganisationWithInvitations(db, loopInvitations, 'loop-on');
    console.log(
      `# ${label}: seeded two warm organisations of ${loopInvitations} invitations in ${Date.now() - started2} ms`,
    );
    report(`responses_loop_detractor_share`, detractorShare * 100, '%');
    const loopOff = await answer(off.tokens, 1_000_000, off.organisationId, mixScore);
    const casesBefore = await rowsOf('cases', on.organisationId);
    const linksBefore = await rowsOf('case_responses', on.organisationId);
    const deliveriesBefore = await rowsOf('webhook_deliveries', on.organisationId);
    const loopOn = await answer(on.tokens, 2_000_000, on.organisationId, mixScore);
    const opened = (await rowsOf('cases', on.organisationId)) - casesBefore;
    const linked = (await rowsOf('case_responses', on.organisationId)) - linksBefore;
    const deliveries = (await rowsOf('webhook_deliveries', on.organisationId)) - deliveriesBefore;
    // The worst case: every answer a detractor (0–6 in turn), on the second half of the loop-on
    // organisation's invitations, against the same loop-off figure.
    const half = on.tokens.slice(Math.floor(on.tokens.length / 2));
    const worst = await answer(half, 3_000_000, on.organisationId, (i) => i % 7);
    report(`responses_rps_loop_off_${label}`, loopOff.result.rps, 'req/s');
    report(`responses_rps_loop_on_${label}`, loopOn.result.rps, 'req/s');
    report(`responses_p99_loop_on_${label}`, loopOn.result.p99, 'ms');
    report(`responses_loop_on_to_off_${label}`, loopOn.result.rps / loopOff.result.rps, 'ratio');
    report(`responses_rps_loop_on_all_detractors_${label}`, worst.result.rps, 'req/s');
    report(
      `responses_loop_on_all_detractors_to_off_${label}`,
      worst.result.rps / loopOff.result.rps,
      'ratio',
    );
    // CPU (server, and PostgreSQL's backends) per stored answer: what the loop costs per answer,
    // a figure that other work on the machine hardly moves (unlike requests per second).
    if (loopOff.cpuMsPerAnswer !== null && loopOn.cpuMsPerAnswer !== null) {
      report(`responses_cpu_per_answer_loop_off_${label}`, loopOff.cpuMsPerAnswer, 'ms');
      report(`responses_cpu_per_answer_loop_on_${label}`, loopOn.cpuMsPerAnswer, 'ms');
      report(
        `responses_cpu_loop_off_to_on_${label}`,
        loopOff.cpuMsPerAnswer / loopOn.cpuMsPerAnswer,
        'ratio',
      );
    }
    if (loopOff.cpuMsPerAnswer !== null && worst.cpuMsPerAnswer !== null) {
      report(
        `responses_cpu_per_answer_loop_on_all_detractors_${label}`,
        worst.cpuMsPerAnswer,
        'ms',
      );
    }
    // What the loop-on run did: answers stored, cases opened, answers that joined a case already
    // open, deliveries enqueued (the worst case's rows are not counted here).
    report(`responses_loop_answers_${label}`, loopOn.stored, 'rows');
    report(`responses_loop_cases_opened_${label}`, opened, 'rows');
    report(`responses_loop_cases_joined_${label}`, linked - opened, 'rows');
    report(`responses_loop_webhook_deliveries_${label}`, deliveries, 'rows');
    report(
      `responses_repeated_updates_loop_${label}`,
      Math.max(0, loopOff.n - off.tokens.length) +
        Math.max(0, loopOn.n - on.tokens.length) +
        Math.max(0, worst.n - half.length),
      'requests',
    );
  } finally {
    await server.stop();
    await db.close();
  }
}

export async function run(): Promise<void> {
  if (benchSqlite()) {
    const dir = mkdtempSync(path.join(tmpdir(), 'loyaal-bench-responses-'));
    try {
      const file = path.join(dir, 'bench.db');
      const db = await openDatabase(`sqlite:${file}`);
      await migrateToLatest(db);
      await db.close();
      await measure('sqlite', `sqlite:${file}`, `sqlite:${file}.reference`, 150_000, 100_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else sqliteSkipped();
  const pgUrl = benchPostgresUrl();
  if (!pgUrl) {
    postgresSkipped();
    return;
  }
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
    // The reference table sits beside Loyaal's in the same (throw-away) database.
    await measure('postgres', url.toString(), url.toString(), 80_000, 60_000);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
