import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { JobStatus } from '../../src/db/schema.ts';
import { payloadKeyOf } from '../../src/shared/job-key.ts';
import { bringJobForward, retryJobNow } from '../../src/platform/jobs/jobs.repository.ts';
import { newId } from '../../src/shared/ids.ts';
import { seedOrganisation } from '../support/bulk.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';
import { FACTORY_NOW } from '../support/factories.ts';
import { plansOf } from '../support/query-plans.ts';

/**
 * The outbox's "try again" names a mail's job by its type and the fields of its payload. The
 * payload is keyed by its parsed fields, not its text: a job written with its fields in another
 * order, or with other spacing, is found all the same — and only the organisation's own job of that
 * key, read by the key alone.
 */
describeEachDialect('trying a job again by its key', (dialect) => {
  let db: Db;
  let organisationId: string;
  let otherOrganisationId: string;
  const type = `test.retry-by-key.${dialect}`;
  const now = FACTORY_NOW + 60_000;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    organisationId = await seedOrganisation(db.kysely, 'Garage Retry', FACTORY_NOW);
    otherOrganisationId = await seedOrganisation(db.kysely, 'Garage Anders', FACTORY_NOW);
  });
  afterAll(async () => db.close());

  async function job(organisation: string, payload: string, status: JobStatus): Promise<string> {
    const id = newId();
    await db.kysely
      .insertInto('jobs')
      .values({
        id,
        organisation_id: organisation,
        type,
        payload,
        // As every writer of jobs keys the payload it writes (jobs.repository.ts).
        payload_key: payloadKeyOf(payload),
        status,
        run_at: FACTORY_NOW + 3_600_000,
        attempts: status === 'failed' ? 5 : 1,
        max_attempts: 5,
        locked_by: null,
        locked_until: null,
        last_error: status === 'failed' ? 'mail server down' : null,
        result: null,
        created_at: FACTORY_NOW,
        finished_at: status === 'failed' ? FACTORY_NOW : null,
      })
      .execute();
    return id;
  }

  const stateOf = (id: string) =>
    db.kysely
      .selectFrom('jobs')
      .select(['status', 'run_at', 'attempts'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('queues again a given-up job whose payload has its fields in another order', async () => {
    const id = await job(organisationId, '{"week":"2026-W44","membershipId":"m-1"}', 'failed');
    const elsewhere = await job(
      otherOrganisationId,
      '{"membershipId":"m-1","week":"2026-W44"}',
      'failed',
    );
    const key = { membershipId: 'm-1', week: '2026-W44' };
    expect(await retryJobNow(db.kysely, { organisationId, type, key }, now)).toBe(true);
    expect(await stateOf(id)).toEqual({ status: 'queued', run_at: now, attempts: 0 });
    // Another organisation's job of the same key stays as it was.
    expect((await stateOf(elsewhere)).status).toBe('failed');
  });

  it('makes a waiting job due whose payload is spaced differently', async () => {
    const id = await job(organisationId, '{ "responseId" : "r-1" }', 'queued');
    await job(organisationId, '{"responseId":"r-2"}', 'queued');
    const key = { responseId: 'r-1' };
    expect(await retryJobNow(db.kysely, { organisationId, type, key }, now)).toBe(true);
    expect((await stateOf(id)).run_at).toBe(now);
    expect(
      await retryJobNow(db.kysely, { organisationId, type, key: { responseId: 'r-9' } }, now),
    ).toBe(false);
  });

  it('brings a waiting invitation job forward whatever its spacing, and only that one', async () => {
    const id = await job(organisationId, '{\n  "invitationId": "i-1"\n}', 'queued');
    // A payload with more than the key's fields is another job's.
    const other = await job(organisationId, '{"invitationId":"i-1","wave":2}', 'queued');
    const moved = await bringJobForward(
      db.kysely,
      { organisationId, type, key: { invitationId: 'i-1' } },
      now,
    );
    expect(moved).toBe(1);
    expect((await stateOf(id)).run_at).toBe(now);
    expect((await stateOf(other)).run_at).toBe(FACTORY_NOW + 3_600_000);
  });

  it.runIf(dialect === 'sqlite')(
    "reads only the key's jobs, not every waiting or given-up job of the type",
    async () => {
      // A send of thousands of invitations keeps thousands of its jobs waiting, and given-up jobs
      // stay: one click must not read (and parse) them all.
      const key = { invitationId: newId() };
      const plans = await plansOf(db, async (x) => {
        await retryJobNow(x, { organisationId, type, key }, now);
        await bringJobForward(x, { organisationId, type, key }, now);
      });
      const reads = plans
        .filter((p) => /^select/i.test(p.sql))
        .flatMap((p) => p.steps)
        .filter((step) => / jobs /.test(`${step} `));
      expect(reads).toEqual([
        expect.stringMatching(
          /^SEARCH jobs USING INDEX \S+ \(organisation_id=\? AND type=\? AND payload_key=\?\)$/,
        ),
        expect.stringMatching(
          /^SEARCH jobs USING INDEX \S+ \(organisation_id=\? AND type=\? AND payload_key=\?\)$/,
        ),
      ]);
    },
  );
});

describeEachDialect('migration 0069 keys the jobs written before it', (dialect) => {
  let db: Db;
  let organisationId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await freshDatabase(dialect, { migrateBefore: '0069-job-payload-keys' });
    organisationId = await seedOrganisation(db.kysely, 'Garage Oud', FACTORY_NOW);
    const rows = {
      waiting: ['queued', '{"week":"2026-W44","membershipId":"m-1"}'],
      givenUp: ['failed', '{ "responseId": "r-1" }'],
      done: ['done', '{"responseId":"r-2"}'],
      unreadable: ['queued', 'not json'],
    } as const;
    for (const [name, [status, payload]] of Object.entries(rows)) {
      ids[name] = newId();
      await sql`insert into jobs (id, organisation_id, type, payload, status, run_at, attempts,
          max_attempts, created_at)
        values (${ids[name]}, ${organisationId}, 'test.old', ${payload}, ${status},
          ${FACTORY_NOW + 3_600_000}, 1, 5, ${FACTORY_NOW})`.execute(db.kysely);
    }
    await migrateToLatest(db);
  }, 120_000);
  afterAll(async () => db.close());

  it('finds a waiting or given-up job of before by its key; a done one is never looked for', async () => {
    const rows = await db.kysely
      .selectFrom('jobs')
      .select(['id', 'payload_key'])
      .where('organisation_id', '=', organisationId)
      .execute();
    const keyOf = (name: string) => rows.find((r) => r.id === ids[name])?.payload_key;
    expect(keyOf('waiting')).toBe(payloadKeyOf('{"membershipId":"m-1","week":"2026-W44"}'));
    expect(keyOf('done')).toBeNull();
    expect(keyOf('unreadable')).toBeNull();
    const now = FACTORY_NOW + 60_000;
    const retry = (key: Record<string, string>) =>
      retryJobNow(db.kysely, { organisationId, type: 'test.old', key }, now);
    expect(await retry({ membershipId: 'm-1', week: '2026-W44' })).toBe(true);
    expect(await retry({ responseId: 'r-1' })).toBe(true);
  });
});
