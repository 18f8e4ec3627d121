import { afterAll, beforeAll, expect, it } from 'vitest';
import { notificationsSweepJob } from '../../src/modules/notifications/notifications.jobs.ts';
import { settledMonth } from '../../src/modules/notifications/notifications.service.ts';
import { enqueue } from '../../src/platform/jobs/define-job.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

/**
 * A month is judged (celebrate and attention notes) once its answers can no longer change: a week
 * after it ends for surveys with the default edit window, and as long as the longest window of an
 * organisation's surveys (up to 30 days) for one that allows longer edits — a detractor who
 * changes a 2 into a 9 after a call must not leave a "real drop" note behind.
 */
describeEachDialect('when a month is judged', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t.close());

  it('waits for the longest edit window of the organisation’s surveys', async () => {
    expect(settledMonth(Date.UTC(2026, 10, 8, 12), 30).label).toBe('2026-09');
    expect(settledMonth(Date.UTC(2026, 10, 30, 23, 30), 30).label).toBe('2026-10');

    const week = await buildOrganisation(t, 'Garage Week');
    await buildSurvey(t.db.kysely, week.organisationId);
    const month = await buildOrganisation(t, 'Installateur Maand');
    await buildSurvey(t.db.kysely, month.organisationId);
    await buildSurvey(t.db.kysely, month.organisationId, { settings: { editableDays: 30 } });
    const judged = async (organisationId: string) =>
      (
        await t.db.kysely
          .selectFrom('jobs')
          .select('payload')
          .where('type', '=', 'notifications.evaluate')
          .where('organisation_id', '=', organisationId)
          .execute()
      )
        .map((j) => (JSON.parse(j.payload) as { period: string }).period)
        .sort();
    const sweep = async (now: number) => {
      t.clock.now = now;
      await enqueue(t.db.kysely, notificationsSweepJob, {}, { organisationId: null, now });
      await startWorker(t.deps, { concurrency: 1 }, false).drain();
    };
    // A week after October: the default surveys' October is settled, 30-day edits are not.
    await sweep(Date.UTC(2026, 10, 8, 12));
    expect(await judged(week.organisationId)).toEqual(['2026-10']);
    expect(await judged(month.organisationId)).toEqual(['2026-09']);
    // Thirty days after October, its answers can no longer change anywhere.
    await sweep(Date.UTC(2026, 11, 1, 12));
    expect(await judged(month.organisationId)).toEqual(['2026-09', '2026-10']);
  });
});
