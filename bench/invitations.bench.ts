/**
 * "Invitations rendered and handed to a local SMTP server per second": 1,500 invitations through
 * the real job path (re-check of the rules, render, `emails` row, pooled SMTP, mark sent) to an
 * SMTP server in a process of its own, as a local mail relay is. Two references from the same
 * run: render-only throughput; plain SMTP — the same number of already-rendered messages handed to
 * the same server over nodemailer's pooled transport, which composes each message itself, as many
 * at once as the worker's slots, with no database at all (the reference figure, unchanged since
 * Loyaal composes messages itself); and the same through Loyaal's own transport (`sendOverSmtp`),
 * the ceiling of the invitations path's mail side on this machine.
 * Runnable alone: `node bench/invitations.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { claimJobs } from '../src/platform/jobs/jobs.repository.ts';
import { startWorker } from '../src/platform/jobs/worker.ts';
import {
  closeMailTransports,
  sendOverSmtp,
  type SmtpRoute,
} from '../src/modules/email/mail-transport.ts';
import { renderInvitationEmail } from '../src/modules/email/render-invitation-email.ts';
import { planSend } from '../src/modules/invitations/send-planning.service.ts';
import { surveySettingsSchema, surveyTexts } from '../src/modules/surveys/survey-settings.ts';
import { createSurveySchema } from '../src/modules/surveys/surveys.schemas.ts';
import { createSurvey } from '../src/modules/surveys/surveys.service.ts';
import { newId, newToken } from '../src/shared/ids.ts';
import { insertBulkContacts, seedOrganisation } from '../test/support/bulk.ts';
import { startSmtpSink } from './smtp-sink.ts';
import { benchSqlite, report, sqliteSkipped } from './support.ts';
import { platform } from '../src/server/start.ts';

const INVITATIONS = 1500;
const RENDERS = 5000;
const CONCURRENCY = 4;

async function seedSend(db: Db, publicUrl: string): Promise<void> {
  const now = Date.now();
  const organisationId = await seedOrganisation(db.kysely, 'Garage De Vries', now);
  await insertBulkContacts(db.kysely, organisationId, INVITATIONS, now, { englishEvery: 4 });
  const actor = { kind: 'system' as const, organisationId };
  await db.kysely.transaction().execute(async (trx) => {
    const survey = await createSurvey(
      trx,
      actor,
      createSurveySchema.parse({ name: 'NPS', status: 'active' }),
      now,
    );
    await planSend(
      trx,
      actor,
      survey.id,
      { selection: { kind: 'all' }, schedule: { kind: 'now' } },
      now,
      { publicUrl },
    );
  });
}

function renderOne(i: number) {
  const token = newToken();
  return renderInvitationEmail({
    locale: 'nl',
    formality: 'u',
    organisationName: 'Garage De Vries',
    texts: surveyTexts(surveySettingsSchema.parse({}), 'nl'),
    greeting: { kind: 'firstName', name: `Klant ${i}` },
    firstName: `Klant ${i}`,
    brandColor: '#1f6f5c',
    logoUrl: null,
    scoreUrl: (n) => `https://nps.example.nl/r/${token}?score=${n}`,
    unsubscribeUrl: `https://nps.example.nl/u/${token}`,
    reminder: false,
  });
}

/** Render only: the HTML and text of one invitation, no database and no network. */
function renderPerSecond(): number {
  const started = performance.now();
  let bytes = 0;
  for (let i = 0; i < RENDERS; i++) bytes += renderOne(i).html.length;
  if (bytes === 0) throw new Error('nothing rendered');
  return RENDERS / ((performance.now() - started) / 1000);
}

/** `count` rendered messages, each to its own recipient, as the invitations path would hand them over. */
function renderedMails(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const email = renderOne(i);
    return {
      from: '"Garage De Vries" <noreply@loyaal.test>',
      to: `klant${i}@example.nl`,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: `<${newToken()}@nps.example.nl>`,
      headers: {
        'List-Unsubscribe': `<https://nps.example.nl/u/${i}>`,
      },
    };
  });
}

/** What one way of sending achieved: messages per second, and this process's CPU per message. */
interface SendRate {
  perSecond: number;
  cpuMsPerMessage: number;
}

/** This process's CPU time (user and system, all its threads) since `since`, in ms. */
const cpuMsSince = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** Sends `mails` through `send`, `CONCURRENCY` at a time as the worker's slots do. */
async function sendAll<M>(
  mails: readonly M[],
  send: (mail: M) => Promise<void>,
): Promise<SendRate> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < mails.length) {
        const mail = mails[next++];
        if (!mail) break;
        await send(mail);
      }
    }),
  );
  return {
    perSecond: mails.length / ((performance.now() - started) / 1000),
    cpuMsPerMessage: cpuMsSince(cpu) / mails.length,
  };
}

/**
 * Plain SMTP, the reference figure: rendered messages handed to nodemailer's own pooled transport,
 * which composes each MIME message itself (as Loyaal did before it composed them, compose-mime.ts);
 * no database, no job. The same pool settings as Loyaal's transport.
 */
async function plainSmtp(url: string): Promise<SendRate> {
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: CONCURRENCY,
    maxMessages: 1000,
  } as SMTPTransport.Options);
  try {
    return await sendAll(renderedMails(INVITATIONS), async (mail) => {
      await transporter.sendMail(mail);
    });
  } finally {
    transporter.close();
  }
}

/**
 * Plain SMTP through Loyaal's mail transport (`sendOverSmtp`: the message composed in one pass, then
 * the pooled transport): the ceiling of the invitations path's mail side on this machine, with no
 * database and no job.
 */
async function loyaalSmtp(url: string): Promise<SendRate> {
  const route: SmtpRoute = {
    kind: 'smtp',
    source: 'installation',
    poolKey: 'bench-plain@1',
    connection: url,
    fromAddress: 'noreply@loyaal.test',
    host: '127.0.0.1',
  };
  return sendAll(renderedMails(INVITATIONS), async (mail) => {
    const outcome = await sendOverSmtp(route, mail, {
      concurrency: CONCURRENCY,
      timeoutMs: 30_000,
    });
    if (outcome.status !== 'accepted') throw new Error('the sink refused a message');
  });
}

export async function run(): Promise<void> {
  // Measured on SQLite: the mail path, not the database, is what this suite is about.
  if (!benchSqlite()) {
    sqliteSkipped('invitations');
    return;
  }
  const smtp = await startSmtpSink();
  const dir = mkdtempSync(path.join(tmpdir(), 'loyaal-bench-invitations-'));
  const publicUrl = 'https://nps.example.nl';
  const db = await openDatabase(`sqlite:${path.join(dir, 'bench.db')}`);
  try {
    await migrateToLatest(db);
    await seedSend(db, publicUrl);
    const config = loadConfig({
      SMTP_URL: smtp.url,
      PUBLIC_URL: publicUrl,
      MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
      WORKER_CONCURRENCY: String(CONCURRENCY),
    });
    const worker = startWorker(
      { db, config, now: () => Date.now(), platform },
      { concurrency: CONCURRENCY },
      false,
    );
    const cpu = process.cpuUsage();
    const started = performance.now();
    const jobs = await worker.drain();
    const seconds = (performance.now() - started) / 1000;
    const cpuMs = cpuMsSince(cpu);
    const received = await smtp.count();
    if (received < INVITATIONS) {
      throw new Error(`only ${received} of ${INVITATIONS} messages arrived (${jobs} jobs)`);
    }
    closeMailTransports();
    report('invitations_per_second_smtp', INVITATIONS / seconds, 'msg/s');
    // The CPU this process spends per message (the SMTP server's is its own): the steadier
    // figure on a busy machine, where msg/s follows what other processes leave over.
    report('invitations_cpu_per_message', cpuMs / INVITATIONS, 'ms');
    const plain = await plainSmtp(smtp.url);
    report('plain_smtp_sends_per_second', plain.perSecond, 'msg/s');
    report('plain_smtp_cpu_per_message', plain.cpuMsPerMessage, 'ms');
    const loyaal = await loyaalSmtp(smtp.url);
    closeMailTransports();
    report('loyaal_smtp_sends_per_second', loyaal.perSecond, 'msg/s');
    report('loyaal_smtp_cpu_per_message', loyaal.cpuMsPerMessage, 'ms');
    report('invitation_render_per_second', renderPerSecond(), 'msg/s');
  } finally {
    closeMailTransports();
    await db.close();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  }
  // A large send queues one job per invitation, all due at one moment: a claim's cost must not grow
  // with the queue. The reference is the same claim with a short queue, in the same run.
  const short = await claimCost(100);
  const long = await claimCost(20_000);
  report('job_claim_ms_100_queued', short, 'ms');
  report('job_claim_ms_20000_queued', long, 'ms');
  report('job_claim_20000_to_100_ratio', long / short, 'ratio');
}

/** The mean time of one claim (of one job) among `queued` jobs due at the same moment. */
async function claimCost(queued: number): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'loyaal-bench-claims-'));
  const db = await openDatabase(`sqlite:${path.join(dir, 'bench.db')}`);
  try {
    await migrateToLatest(db);
    const now = Date.now();
    const rows = Array.from({ length: queued }, (_, i) => ({
      id: newId(),
      organisation_id: null,
      type: 'bench.claim',
      payload: '{}',
      status: 'queued' as const,
      run_at: now,
      attempts: 0,
      max_attempts: 5,
      locked_by: null,
      locked_until: null,
      last_error: null,
      result: null,
      created_at: now + i,
      finished_at: null,
      dedupe_key: null,
    }));
    for (let i = 0; i < rows.length; i += 1000) {
      await db.kysely
        .insertInto('jobs')
        .values(rows.slice(i, i + 1000))
        .execute();
    }
    const claims = 50;
    const started = performance.now();
    for (let i = 0; i < claims; i++) await claimJobs(db, 'bench', 1, now + 1, 60_000);
    return (performance.now() - started) / claims;
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
