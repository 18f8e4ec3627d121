import { afterAll, beforeAll, expect, it } from 'vitest';
import { invitationSendJob } from '../../src/modules/invitations/invitations.jobs.ts';
import { enqueueMany } from '../../src/platform/jobs/define-job.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const TOKEN = 'scrape-me-please-0123456789';

describeEachDialect('Prometheus metrics', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => t.close());

  const scrape = async () => {
    const res = await t.app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.statusCode).toBe(200);
    return res.body;
  };
  /** The value of one series, e.g. `loyaal_jobs_due{type="invitation.send"}`. */
  const valueOf = (body: string, series: string): number | undefined => {
    const line = body.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('answers only a scraper with the token', async () => {
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    const wrong = await t.app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('counts requests by route pattern, never by a URL with a token in it', async () => {
    await t.app.inject({ url: '/health' });
    await t.app.inject({ url: '/r/Secret-Token-Of-A-Customer-123' });
    const body = await scrape();
    expect(body).toContain('loyaal_http_requests_total{method="GET",route="/health",status="200"}');
    expect(body).toContain('route="/r/:token"');
    expect(body).not.toContain('Secret-Token');
    expect(body).toContain('loyaal_http_request_duration_seconds_bucket');
  });

  it('shows the job queue — depth by type and the oldest wait — and what the worker did', async () => {
    const { organisationId } = await buildOrganisation(t);
    const now = Date.now();
    await enqueueMany(
      t.db.kysely,
      invitationSendJob,
      [1, 2, 3].map((n) => ({
        payload: { invitationId: `00000000-0000-7000-8000-00000000000${n}` },
        organisationId,
        now: now - 90_000,
        runAt: now - 60_000,
      })),
    );
    let body = await scrape();
    expect(valueOf(body, 'loyaal_jobs_due{type="invitation.send"}')).toBe(3);
    expect(valueOf(body, 'loyaal_jobs_oldest_due_age_seconds')).toBeGreaterThanOrEqual(60);

    await startWorker({ ...t.deps, now: () => Date.now() }, { concurrency: 3 }, false).drain();
    body = await scrape();
    expect(valueOf(body, 'loyaal_jobs_due{type="invitation.send"}')).toBeUndefined();
    expect(valueOf(body, 'loyaal_jobs_oldest_due_age_seconds')).toBe(0);
    // The invitations do not exist: each job records "skipped", and the counter says so.
    expect(
      valueOf(body, 'loyaal_jobs_finished_total{type="invitation.send",outcome="skipped"}'),
    ).toBe(3);
  });
});
