import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import type { JobStatus } from '../../src/db/schema.ts';
import { claimJobs } from '../../src/platform/jobs/jobs.repository.ts';
import { newId } from '../../src/shared/ids.ts';
import { describeEachDialect, freshDatabase } from '../support/databases.ts';

/**
 * The claim takes due jobs in the order they fell due, the oldest created first among jobs due at
 * the same moment (a send's invitations): queued jobs that are due and running ones whose lease
 * ended, together, never more than asked. It reads them in index order (migration 0060), one arm
 * per kind, so a claim among many queued jobs no longer sorts them all.
 */
describeEachDialect('claiming due jobs', (dialect) => {
  let db: Db;
  const type = `test.claim-order.${dialect}`;
  beforeAll(async () => {
    db = await freshDatabase(dialect);
  });
  afterAll(async () => db.close());

  async function job(
    name: string,
    status: JobStatus,
    runAt: number,
    createdAt: number,
    lockedUntil: number | null = null,
    groupKey: string | null = null,
  ): Promise<[string, string]> {
    const id = newId();
    await db.kysely
      .insertInto('jobs')
      .values({
        id,
        organisation_id: null,
        type,
        payload: JSON.stringify({ name }),
        status,
        run_at: runAt,
        attempts: status === 'running' ? 1 : 0,
        max_attempts: 5,
        locked_by: status === 'running' ? 'another-worker' : null,
        locked_until: lockedUntil,
        last_error: null,
        result: null,
        created_at: createdAt,
        finished_at: null,
        dedupe_key: null,
        group_key: groupKey,
      })
      .execute();
    return [id, name];
  }

  it('takes the earliest due first, oldest created among equals, across queued and lapsed jobs', async () => {
    const now = 1_000;
    const names = new Map([
      // A send: five jobs due at one moment, inserted out of creation order.
      await job('send-3', 'queued', 200, 3),
      await job('send-1', 'queued', 200, 1),
      await job('send-5', 'queued', 200, 5),
      await job('send-2', 'queued', 200, 2),
      await job('send-4', 'queued', 200, 4),
      await job('earliest', 'queued', 100, 50),
      // Its worker died: the lease ended at 900.
      await job('lapsed', 'running', 150, 10, 900),
      // Still running under a lease until 5,000, and a job not due before 2,000: neither is taken.
      await job('leased', 'running', 120, 11, 5_000),
      await job('later', 'queued', 2_000, 0),
    ]);
    const claim = async (limit: number) =>
      (await claimJobs(db, 'claimer', limit, now, 60_000)).claimed
        .filter((c) => c.type === type)
        .map((c) => names.get(c.id))
        .sort();

    expect(await claim(3)).toEqual(['earliest', 'lapsed', 'send-1']);
    expect(await claim(2)).toEqual(['send-2', 'send-3']);
    expect(await claim(10)).toEqual(['send-4', 'send-5']);
    expect(await claim(10)).toEqual([]);
  });

  it('starts one job of a group at a time, in order, skipping a busy group for the jobs behind it', async () => {
    const now = 1_000_000;
    // Whatever another test left waiting is out of the way.
    await db.kysely.updateTable('jobs').set({ status: 'done' }).where('type', '=', type).execute();
    const names = new Map([
      // Group A: one running (leased), two waiting behind it.
      await job('a-running', 'running', now - 100, 1, now + 60_000, 'a'),
      await job('a-1', 'queued', now - 90, 2, null, 'a'),
      await job('a-2', 'queued', now - 80, 3, null, 'a'),
      // Group B: three waiting, none running.
      await job('b-1', 'queued', now - 70, 4, null, 'b'),
      await job('b-2', 'queued', now - 60, 5, null, 'b'),
      await job('b-3', 'queued', now - 50, 6, null, 'b'),
      // Group C: its worker died (lease ended); a job waits behind it.
      await job('c-lapsed', 'running', now - 40, 7, now - 1, 'c'),
      await job('c-1', 'queued', now - 95, 8, null, 'c'),
      // Jobs without a group are not held by anyone.
      await job('free-1', 'queued', now - 30, 9),
      await job('free-2', 'queued', now - 20, 10),
    ]);
    const claim = async (limit: number) =>
      (await claimJobs(db, 'claimer', limit, now, 60_000)).claimed
        .filter((c) => c.type === type)
        .map((c) => names.get(c.id))
        .sort();
    const finish = async (name: string) => {
      const id = [...names].find(([, n]) => n === name)?.[0] ?? '';
      await db.kysely
        .updateTable('jobs')
        .set({ status: 'done', locked_by: null, locked_until: null })
        .where('id', '=', id)
        .execute();
    };

    // A is busy, B gives its first, C's lapsed job comes back before the one behind it.
    expect(await claim(10)).toEqual(['b-1', 'c-lapsed', 'free-1', 'free-2']);
    expect(await claim(10)).toEqual([]);
    await finish('a-running');
    await finish('b-1');
    expect(await claim(10)).toEqual(['a-1', 'b-2']);
    await finish('c-lapsed');
    await finish('a-1');
    expect(await claim(1)).toEqual(['c-1']);
    expect(await claim(10)).toEqual(['a-2']);
    await finish('b-2');
    expect(await claim(10)).toEqual(['b-3']);
  });
});
