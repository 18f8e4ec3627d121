import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import type { JobStatus } from '../../src/db/schema.ts';
import { bringJobForward, retryJobNow } from '../../src/platform/jobs/jobs.repository.ts';
import { newId } from '../../src/shared/ids.ts';
import { seedOrganisation } from '../support/bulk.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';
import { FACTORY_NOW } from '../support/factories.ts';

/**
 * The outbox's "try again" names a mail's job by its type and the fields of its payload. The
 * payload is parsed, not compared as text: a job written with its fields in another order, or with
 * other spacing, is found all the same — and only the organisation's own job of that key.
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

  it('brings a waiting invitation job forward whatever its key order', async () => {
    const id = await job(organisationId, '{"attempt":1,"invitationId":"i-1"}', 'queued');
    const moved = await bringJobForward(
      db.kysely,
      { organisationId, type, key: { invitationId: 'i-1' } },
      now,
    );
    expect(moved).toBe(1);
    expect((await stateOf(id)).run_at).toBe(now);
  });

  it.runIf(dialect === 'sqlite')('finds the jobs by organisation, type and state', async () => {
    const { rows } = await sql<{ detail: string }>`explain query plan
      select id from jobs where organisation_id = ${organisationId} and type = ${type}
        and status in ('queued', 'failed')`.execute(db.kysely);
    expect(rows.map((r) => r.detail).join('\n')).toContain('USING INDEX jobs_org_type_status');
  });
});
