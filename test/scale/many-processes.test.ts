import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { freshDatabase } from '../support/databases.ts';
import { runScenario } from './scenario.ts';

// CI runs 2,000 invitations and 1,000 answers: at the 10,000 and 5,000
// (SCALE_TEST_INVITATIONS=10000 SCALE_TEST_ANSWERS=5000) the same checks take about five times as
// long, which a shared 2-core CI machine cannot spare. The assertions do not depend on the size.
const INVITATIONS = Number(process.env.SCALE_TEST_INVITATIONS ?? 2_000);
const ANSWERS = Number(process.env.SCALE_TEST_ANSWERS ?? 1_000);
const PG_URL = process.env.TEST_DATABASE_URL;

/**
 * Issue 13, check 1: three app processes and two workers on one PostgreSQL behind a load balancer,
 * one of each killed with SIGKILL and started again while invitations and answers flow
 * (see scenario.ts for what is checked).
 */
// Run by CI (`npm test` with TEST_DATABASE_URL). It was opt-in while it stopped at 1,997 of 2,000
// mails after the worker kill: the cause (an answered invitation marked skipped by the attempt that
// took over the killed worker's job) is fixed and pinned by test/api/invitation-lost-outcome.test.ts.
describe.skipIf(!PG_URL)('three app processes and two workers on one PostgreSQL', () => {
  let db: Db;

  beforeAll(async () => {
    db = await freshDatabase('postgres');
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  it('loses no acknowledged answer, sends every invitation once, runs every schedule once, and holds the login limit across processes', async () => {
    const base = PG_URL ?? '';
    const options = encodeURIComponent(`-c search_path=${db.schema ?? 'public'}`);
    const result = await runScenario({
      db: db.kysely,
      databaseUrl: `${base}${base.includes('?') ? '&' : '?'}options=${options}`,
      apps: 3,
      workers: 2,
      invitations: INVITATIONS,
      answers: ANSWERS,
      workerConcurrency: 8,
      loginLimit: 5,
      poolSize: 6,
    });
    expect(result.perApp).toHaveLength(3);
    console.info(
      `[many processes] ${INVITATIONS} invitations (${result.resent} re-sent after the worker ` +
        `kill), ${ANSWERS} answers (${result.retried} sent again after the app kill), requests ` +
        `per app ${result.perApp.join('/')}, ${result.schedules} scheduled jobs once each, ` +
        `${result.staffMail} staff mails`,
    );
  }, 3_600_000);
});
