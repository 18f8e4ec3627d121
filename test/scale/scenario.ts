import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { createApiKey } from '../../src/modules/api-keys/api-keys.service.ts';
import { createSurvey } from '../../src/modules/surveys/surveys.service.ts';
import { createSurveySchema } from '../../src/modules/surveys/surveys.schemas.ts';
import { dueMoment } from '../../src/platform/jobs/schedules.ts';
import { platform } from '../../src/server/start.ts';
import { insertBulkContacts, seedOrganisation } from '../support/bulk.ts';
import { startLoadBalancer, type LoadBalancer } from '../support/load-balancer.ts';
import {
  startLoyaalProcess,
  waitForProgress,
  waitUntil,
  type LoyaalProcess,
} from '../support/processes.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

export interface ScenarioOptions {
  /** Where the test reads and seeds (directly on PostgreSQL). */
  db: Kysely<Database>;
  /** What the Loyaal processes connect to (the same database, directly or through PgBouncer). */
  databaseUrl: string;
  apps: number;
  workers: number;
  invitations: number;
  answers: number;
  workerConcurrency: number;
  loginLimit: number;
  poolSize: number;
  /** Extra environment for every process. */
  env?: Record<string, string>;
}

export interface ScenarioResult {
  resent: number;
  retried: number;
  perApp: number[];
  schedules: number;
  /** Staff mail (case alerts, ambassador mail) the answers caused, besides the invitations. */
  staffMail: number;
}

const CLIENTS = 24;

/** The invitations not yet sent, with their jobs and emails: what a stall failure shows. */
async function unsent(db: Kysely<Database>): Promise<string> {
  const rows = await db
    .selectFrom('invitations')
    .select(['id', 'status', 'skip_reason', 'message_id'])
    .where('status', '!=', 'sent')
    .limit(20)
    .execute();
  const lines: string[] = [];
  for (const row of rows) {
    const jobs = await db
      .selectFrom('jobs')
      .select(['status', 'attempts', 'run_at', 'locked_by', 'locked_until', 'last_error', 'result'])
      .where('payload', '=', JSON.stringify({ invitationId: row.id }))
      .execute();
    const mails = await db
      .selectFrom('emails')
      .select(['status', 'error', 'next_attempt_at', 'sent_at'])
      .where('message_id', '=', row.message_id)
      .execute();
    lines.push(
      `invitation ${row.id} ${row.status} ${row.skip_reason ?? ''} jobs ${JSON.stringify(jobs)} ` +
        `emails ${JSON.stringify(mails)} (now ${Date.now()})`,
    );
  }
  return `unsent invitations:\n${lines.join('\n')}`;
}
/** A check fails when nothing moved for this long (not when the machine is merely slow). */
const STALL_MS = 120_000;

/**
 * Issue 13's many-processes scenario: N app processes and M workers (real child processes) behind
 * a load balancer. Invitations are sent through the API, answers come from the links in the mail a
 * real SMTP server received, and while they flow one app process and one worker are killed with
 * SIGKILL and started again. Checked afterwards: every answer the client saw acknowledged is stored
 * once, with its score; every invitation reached the mail server with its own stable Message-ID,
 * re-sent at most as often as the killed worker had slots; every due schedule has one job that ran
 * once; the login limit held across the processes, not per process.
 */
export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const smtp: TestSmtpServer = await startSmtpServer();
  const processes: LoyaalProcess[] = [];
  let lb: LoadBalancer | undefined;
  try {
    return await scenario(o, smtp, processes, (b) => (lb = b));
  } finally {
    await lb?.close();
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await smtp.close();
  }
}

async function scenario(
  o: ScenarioOptions,
  smtp: TestSmtpServer,
  processes: LoyaalProcess[],
  keep: (lb: LoadBalancer) => void,
): Promise<ScenarioResult> {
  const db = o.db;
  const now = Date.now();
  const organisationId = await seedOrganisation(db, 'Franchise Noord', now);
  await insertBulkContacts(db, organisationId, o.invitations, now);
  const actor = { kind: 'system' as const, organisationId };
  const survey = await createSurvey(
    db,
    actor,
    createSurveySchema.parse({ name: 'NPS', status: 'active' }),
    now,
  );
  const apiKey = (await createApiKey(db, actor, { name: 'crm', role: 'admin' }, now)).secret;

  const env = {
    DATABASE_URL: o.databaseUrl,
    DATABASE_POOL_SIZE: String(o.poolSize),
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
    PUBLIC_URL: 'https://nps.example.nl',
    TRUST_PROXY: '1',
    LOGIN_RATE_LIMIT: String(o.loginLimit),
    WORKER_CONCURRENCY: String(o.workerConcurrency),
    WORKER_LEASE_MS: '3000',
    ...o.env,
  };
  // Started together, so their migrations and first schedule runs race as in a real roll-out.
  const apps = await Promise.all(
    Array.from({ length: o.apps }, (_, i) => startLoyaalProcess('serve', `app ${i}`, env)),
  );
  const workers = await Promise.all(
    Array.from({ length: o.workers }, (_, i) => startLoyaalProcess('worker', `worker ${i}`, env)),
  );
  processes.push(...apps, ...workers);
  const lb = await startLoadBalancer(apps.map((a) => a.port));
  keep(lb);

  const logs = () => processes.map((p) => `--- ${p.name}\n${p.log().slice(-3000)}`).join('\n');
  const sentCount = async () =>
    Number(
      (
        await db
          .selectFrom('invitations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'sent')
          .executeTakeFirstOrThrow()
      ).n,
    );

  // The send, through the load balancer like any API client.
  const send = await fetch(`${lb.url}/api/v1/surveys/${survey.id}/sends`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ selection: { kind: 'all' }, schedule: { kind: 'now' } }),
  });
  expect(send.status, await send.clone().text()).toBe(201);
  expect(((await send.json()) as { plannedCount: number }).plannedCount).toBe(o.invitations);
  // Answers: clients take the links from the mail as it arrives and answer through the load
  // balancer, each from its own address; a refused or cut request is sent again.
  const acknowledged = new Map<string, number>();
  const tokens: string[] = [];
  const seenTokens = new Set<string>();
  let scanned = 0;
  let retried = 0;
  const nextToken = async (): Promise<string | null> => {
    for (;;) {
      if (tokens.length + acknowledged.size >= o.answers && tokens.length === 0) return null;
      while (scanned < smtp.received.length) {
        const mail = smtp.received[scanned++];
        const token = /\/r\/([A-Za-z0-9_-]{16,})/.exec(mail?.text() ?? '')?.[1];
        if (token && !seenTokens.has(token) && seenTokens.size < o.answers) {
          seenTokens.add(token);
          tokens.push(token);
        }
      }
      const token = tokens.shift();
      if (token) return token;
      if (seenTokens.size >= o.answers) return null;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const answerAll = async (client: number) => {
    for (let token = await nextToken(); token; token = await nextToken()) {
      const n = seenTokens.size;
      const score = n % 11;
      const address = `10.${client}.${(n >> 8) & 255}.${n & 255}`;
      for (let attempt = 0; ; attempt++) {
        if (attempt > 200) throw new Error(`answer for ${token} never acknowledged\n${logs()}`);
        try {
          const res = await fetch(`${lb.url}/r/${token}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-test-client': address },
            body: JSON.stringify({ score }),
          });
          const body = await res.text();
          if (res.status === 200 && (JSON.parse(body) as { status?: string }).status === 'saved') {
            acknowledged.set(token, score);
            break;
          }
          if (res.status < 500) throw new Error(`answer refused: ${res.status} ${body}`);
        } catch (error) {
          if (error instanceof Error && error.message.startsWith('answer refused')) throw error;
        }
        retried++;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };

  // Chaos: one app process dies when a third of the answers are in, one worker when a third of
  // the mail is out; both are started again.
  const chaos = (async () => {
    await waitForProgress(() => acknowledged.size, o.answers / 3, STALL_MS, logs);
    await apps[0]?.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    await apps[0]?.restart();
  })();
  const workerChaos = (async () => {
    await waitForProgress(
      () => smtp.received.length,
      Math.floor(o.invitations / 3),
      STALL_MS,
      logs,
    );
    await workers[0]?.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    await workers[0]?.restart();
  })();

  await Promise.all([...Array.from({ length: CLIENTS }, (_, c) => answerAll(c)), chaos]);
  await workerChaos;
  try {
    await waitForProgress(sentCount, o.invitations, STALL_MS, logs);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${await unsent(db)}`, { cause: error });
  }
  // Scheduled work comes due with the clock; wait until the workers have none left running.
  const dueSchedules = platform.schedules.filter(
    (s) => dueMoment(s.dailyAt, Date.now(), s.weekday) !== null,
  );
  await waitUntil(
    async () =>
      (
        await db
          .selectFrom('jobs')
          .select('id')
          .where('dedupe_key', 'like', 'schedule:%')
          .where('status', '=', 'done')
          .execute()
      ).length >= dueSchedules.length,
    120_000,
    logs,
  );

  // Every acknowledged answer is stored, once, with the score the client sent.
  expect(acknowledged.size).toBe(o.answers);
  const stored = await db
    .selectFrom('responses')
    .innerJoin('invitations', 'invitations.id', 'responses.invitation_id')
    .select(['invitations.token', 'responses.score'])
    .execute();
  const byToken = new Map<string, number[]>();
  for (const r of stored)
    byToken.set(r.token ?? '', [...(byToken.get(r.token ?? '') ?? []), r.score]);
  for (const [token, score] of acknowledged) expect(byToken.get(token)).toEqual([score]);
  expect(stored.length).toBe(o.answers);

  // Every invitation reached the mail server with its own Message-ID; re-sends are bounded by
  // the killed worker's slots. Staff mail sent meanwhile (case alerts, ambassador mail: at the full
  // size some answers call for it) is told apart by its Message-ID, and was composed in `emails`.
  const invitations = await db.selectFrom('invitations').select('message_id').execute();
  const invitationIds = new Set(invitations.map((i) => i.message_id));
  const received = smtp.received.map((m) => m.messageId);
  const invitationMail = received.filter((id) => invitationIds.has(id));
  const distinct = new Set(invitationMail);
  expect(distinct.size).toBe(o.invitations);
  const otherMail = new Set(received.filter((id) => !invitationIds.has(id)));
  const composed = new Set(
    otherMail.size === 0
      ? []
      : (
          await db
            .selectFrom('emails')
            .select('message_id')
            .where('kind', 'not in', ['invitation', 'reminder'])
            .execute()
        ).map((e) => e.message_id),
  );
  for (const id of otherMail) expect(composed.has(id), `unknown mail ${id}`).toBe(true);
  const resent = received.length - distinct.size - otherMail.size;
  expect(resent).toBeLessThanOrEqual(o.workerConcurrency);

  // Each due schedule: one job for today's moment, run once, though two workers (one of them
  // started twice) enqueued it.
  const scheduled = await db
    .selectFrom('jobs')
    .select(['dedupe_key', 'status', 'attempts'])
    .where('dedupe_key', 'like', 'schedule:%')
    .execute();
  expect(scheduled.map((j) => j.dedupe_key).sort()).toEqual(
    dueSchedules
      .map((s) => `schedule:${s.name}:${dueMoment(s.dailyAt, Date.now(), s.weekday)}`)
      .sort(),
  );
  for (const job of scheduled) expect([job.status, job.attempts]).toEqual(['done', 1]);

  // The login limit is one limit, whichever process the proxy picks: the sixth attempt from one
  // address on one account is refused, though round robin sent the five before it to all three.
  const statuses: number[] = [];
  for (let i = 0; i < o.loginLimit * 3; i++) {
    const res = await fetch(`${lb.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-client': '198.51.100.7' },
      body: JSON.stringify({ email: 'nobody@example.nl', password: 'wrong password' }),
    });
    statuses.push(res.status);
  }
  expect(statuses).toEqual([
    ...Array<number>(o.loginLimit).fill(401),
    ...Array<number>(o.loginLimit * 2).fill(429),
  ]);
  expect(lb.answered.every((n) => n > 0)).toBe(true);

  return {
    resent,
    retried,
    perApp: [...lb.answered],
    schedules: scheduled.length,
    staffMail: otherMail.size,
  };
}
