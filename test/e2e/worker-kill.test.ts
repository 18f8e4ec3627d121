import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { planSend } from '../../src/modules/invitations/send-planning.service.ts';
import { createSurvey } from '../../src/modules/surveys/surveys.service.ts';
import { createSurveySchema } from '../../src/modules/surveys/surveys.schemas.ts';
import { insertBulkContacts, seedOrganisation } from '../support/bulk.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

const TOTAL = 1000;
const CONCURRENCY = 4;
const KILL_AFTER = 300;
const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The crash-safety promise of issue 3: killing the worker (SIGKILL) in the middle of a batch of
 * 1,000 invitations and starting it again loses no email and re-sends at most the messages that were
 * in flight (≤ the worker's concurrency), never a batch. Real worker processes, a real SMTP server,
 * a file database (SQLite) or a schema of its own (PostgreSQL).
 */
describeEachDialect('worker killed in the middle of a batch', (dialect) => {
  let smtp: TestSmtpServer;
  let db: Db;
  let databaseUrl: string;
  let tmp: string;
  const children: ChildProcess[] = [];
  const logs: string[] = [];

  function startWorkerProcess(): ChildProcess {
    // Node runs the TypeScript CLI itself (type stripping) in one process, in its own process
    // group, so SIGKILL hits the worker itself and nothing survives it.
    const child = spawn(process.execPath, ['src/cli/main.ts', 'worker'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
        PUBLIC_URL: 'https://nps.example.nl',
        WORKER_CONCURRENCY: String(CONCURRENCY),
        WORKER_LEASE_MS: '1500',
        LOG_LEVEL: 'warn',
      },
    });
    child.stdout?.on('data', (d: Buffer) => logs.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
    children.push(child);
    return child;
  }

  function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    }
  }

  const exited = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));

  async function sentCount(): Promise<number> {
    const row = await db.kysely
      .selectFrom('invitations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'sent')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-kill-'));
    if (dialect === 'sqlite') {
      const file = path.join(tmp, 'loyaal.db');
      db = await freshDatabase('sqlite', { file });
      databaseUrl = `sqlite:${file}`;
    } else {
      db = await freshDatabase('postgres');
      const base = process.env.TEST_DATABASE_URL ?? '';
      const options = encodeURIComponent(`-c search_path=${db.schema ?? 'public'}`);
      databaseUrl = `${base}${base.includes('?') ? '&' : '?'}options=${options}`;
    }
    const now = Date.now();
    const organisationId = await seedOrganisation(db.kysely, 'Garage De Vries', now);
    await insertBulkContacts(db.kysely, organisationId, TOTAL, now);
    const actor = { kind: 'system' as const, organisationId };
    const send = await db.kysely.transaction().execute(async (trx) => {
      const survey = await createSurvey(
        trx,
        actor,
        createSurveySchema.parse({ name: 'NPS', status: 'active' }),
        now,
      );
      return planSend(
        trx,
        actor,
        survey.id,
        { selection: { kind: 'all' }, schedule: { kind: 'now' } },
        now,
        { publicUrl: 'https://nps.example.nl' },
      );
    });
    expect(send.plannedCount).toBe(TOTAL);
  }, 120_000);

  afterAll(async () => {
    for (const child of children) killGroup(child, 'SIGKILL');
    await Promise.all(children.map(exited));
    await db.close();
    await smtp.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('loses no email and re-sends at most the in-flight messages', async () => {
    const first = startWorkerProcess();
    await smtp.waitFor(KILL_AFTER, 90_000);
    killGroup(first, 'SIGKILL');
    await exited(first);
    const receivedAtKill = smtp.received.length;
    expect(receivedAtKill).toBeLessThan(TOTAL);

    const second = startWorkerProcess();
    const deadline = Date.now() + 120_000;
    while ((await sentCount()) < TOTAL) {
      if (Date.now() > deadline) throw new Error(`stuck at ${await sentCount()}\n${logs.join('')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    killGroup(second, 'SIGTERM');
    await exited(second);

    const invitations = await db.kysely.selectFrom('invitations').select('message_id').execute();
    const received = smtp.received.map((m) => m.messageId);
    const distinct = new Set(received);
    for (const { message_id } of invitations) expect(distinct.has(message_id)).toBe(true);
    expect(distinct.size).toBe(TOTAL);
    const duplicates = received.length - distinct.size;
    expect(duplicates).toBeLessThanOrEqual(CONCURRENCY);
    console.info(
      `[${dialect}] killed after ${receivedAtKill} messages; ${received.length} received, ` +
        `${distinct.size} distinct, ${duplicates} re-sent`,
    );
  }, 240_000);
});
