import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { inviteAfterVisit } from '../../src/modules/visits/visits.service.ts';
import { claimJobs, completeJob } from '../../src/platform/jobs/jobs.repository.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

/**
 * A visit corrected after the trigger decided on it: to a kind the trigger does not ask about
 * before its invitation went out (the workshop's work order was a tyre change, not an APK), no
 * invitation goes out and the visit says why; into the trigger (it was an APK after all, or a
 * cancellation taken back), the trigger decides again, within its usual window.
 */
describeEachDialect('a visit corrected after the trigger decided', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, { SMTP_URL: smtp.url, MAIL_FROM: 'Loyaal <nps@loyaal.test>' });
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  /** A garage whose trigger asks 3 days after an APK, with one customer; Monday 2 November 2026. */
  async function garage(name: string, email: string) {
    // Monday 2 November 2026, 10:00 in Amsterdam.
    t.clock.now = Date.UTC(2026, 10, 2, 9, 0);
    const owner = await buildOrganisation(t, name);
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'Na de APK', status: 'active' },
    });
    const surveyId = survey.json<{ id: string }>().id;
    const customer = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Anna', email, externalId: 'K-1' },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    const trigger = await owner.request({
      method: 'PUT',
      url: '/api/v1/visit-trigger',
      payload: { surveyId, enabled: true, kinds: ['APK'], delayDays: 3 },
    });
    expect(trigger.statusCode, trigger.body).toBe(200);
    const record = (kind: string, status?: string) =>
      owner.request({
        method: 'POST',
        url: '/api/v1/visits',
        payload: {
          externalId: 'W-1',
          customer: { externalId: 'K-1' },
          visitedAt: '2026-11-02',
          amount: 49,
          kind,
          ...(status ? { status } : {}),
        },
      });
    const visit = () =>
      t.db.kysely
        .selectFrom('visits')
        .select(['kind_key', 'invitation_status', 'skip_reason'])
        .where('organisation_id', '=', owner.organisationId)
        .executeTakeFirstOrThrow();
    const mailTo = () => smtp.received.filter((m) => m.envelopeTo.includes(email)).length;
    return { record, visit, mailTo, organisationId: owner.organisationId };
  }

  it('to another kind is not invited for', async () => {
    const g = await garage('Garage Soort', 'anna@soort.example');
    expect((await g.record('APK')).statusCode).toBe(201);
    // The same day the work order is corrected: a tyre change.
    expect((await g.record('Banden')).statusCode).toBe(200);
    t.clock.now = Date.UTC(2026, 10, 5, 9, 5);
    await drain();
    expect(g.mailTo()).toBe(0);
    expect(await g.visit()).toEqual({
      kind_key: 'banden',
      invitation_status: 'skipped',
      skip_reason: 'visit_kind',
    });
  });

  it('into the trigger’s kind is invited for, once', async () => {
    const g = await garage('Garage Alsnog', 'anna@alsnog.example');
    expect((await g.record('Banden')).statusCode).toBe(201);
    expect((await g.visit()).skip_reason).toBe('visit_kind');
    // The next day the work order is corrected: it was an APK.
    t.clock.now = Date.UTC(2026, 10, 3, 9, 0);
    expect((await g.record('APK')).statusCode).toBe(200);
    expect(await g.visit()).toEqual({
      kind_key: 'apk',
      invitation_status: 'planned',
      skip_reason: null,
    });
    // Re-sent unchanged, it stays planned: still one invitation.
    expect((await g.record('APK')).statusCode).toBe(200);
    t.clock.now = Date.UTC(2026, 10, 5, 9, 5);
    await drain();
    expect(g.mailTo()).toBe(1);
    expect((await g.visit()).invitation_status).toBe('invited');
  });

  it('back into the trigger after its job skipped it is invited for', async () => {
    const g = await garage('Garage Heen en Weer', 'anna@heenenweer.example');
    expect((await g.record('APK')).statusCode).toBe(201);
    expect((await g.record('Banden')).statusCode).toBe(200);
    // Thursday 10:05: the planned job runs and skips the tyre change.
    t.clock.now = Date.UTC(2026, 10, 5, 9, 5);
    await drain();
    expect((await g.visit()).skip_reason).toBe('visit_kind');
    // Within the hour the work order is put right again: the job runs again, and invites.
    t.clock.now = Date.UTC(2026, 10, 5, 10, 0);
    expect((await g.record('APK')).statusCode).toBe(200);
    expect((await g.visit()).invitation_status).toBe('planned');
    t.clock.now = Date.UTC(2026, 10, 5, 10, 30);
    await drain();
    expect(g.mailTo()).toBe(1);
    expect((await g.visit()).invitation_status).toBe('invited');
  });

  it('corrected while its job is finishing: the correction is not lost', async () => {
    const g = await garage('Garage Race', 'anna@race.example');
    expect((await g.record('APK')).statusCode).toBe(201);
    expect((await g.record('Banden')).statusCode).toBe(200);
    // Thursday: a worker claims the job and runs its transaction (it skips the tyre change) …
    t.clock.now = Date.UTC(2026, 10, 5, 9, 5);
    const { claimed } = await claimJobs(t.db, 'worker-race', 50, t.clock.now, 60_000);
    const { id: visitId } = await t.db.kysely
      .selectFrom('visits')
      .select('id')
      .where('organisation_id', '=', g.organisationId)
      .executeTakeFirstOrThrow();
    const job = claimed.find((j) => j.payload.includes(visitId));
    if (!job) throw new Error('the visit’s job was not claimed');
    await t.db.kysely
      .transaction()
      .execute((trx) =>
        inviteAfterVisit(trx, g.organisationId, visitId, t.clock.now, t.deps.config),
      );
    expect((await g.visit()).skip_reason).toBe('visit_kind');
    // … and before it marks the job done, the work order is put right: it was an APK.
    expect((await g.record('APK')).statusCode).toBe(200);
    expect((await g.visit()).invitation_status).toBe('planned');
    await completeJob(t.db.kysely, job.id, 'worker-race', '{}', t.clock.now);
    // Other jobs claimed by the stand-in worker are released to the next one.
    await t.db.kysely
      .updateTable('jobs')
      .set({ status: 'queued', locked_by: null, locked_until: null })
      .where('locked_by', '=', 'worker-race')
      .execute();
    t.clock.now = Date.UTC(2026, 10, 5, 12, 0);
    await drain();
    expect(g.mailTo()).toBe(1);
    expect((await g.visit()).invitation_status).toBe('invited');
  });

  it('a cancellation taken back is invited for', async () => {
    const g = await garage('Garage Toch', 'anna@toch.example');
    expect((await g.record('APK', 'cancelled')).statusCode).toBe(201);
    expect((await g.visit()).skip_reason).toBe('visit_not_completed');
    expect((await g.record('APK', 'completed')).statusCode).toBe(200);
    t.clock.now = Date.UTC(2026, 10, 5, 9, 5);
    await drain();
    expect(g.mailTo()).toBe(1);
  });

  it('into the trigger days later is not invited for: too late to ask', async () => {
    const g = await garage('Garage Laat', 'anna@laat.example');
    expect((await g.record('Banden')).statusCode).toBe(201);
    t.clock.now = Date.UTC(2026, 10, 9, 9, 0);
    expect((await g.record('APK')).statusCode).toBe(200);
    expect(await g.visit()).toEqual({
      kind_key: 'apk',
      invitation_status: 'skipped',
      skip_reason: 'visit_late',
    });
    await drain();
    expect(g.mailTo()).toBe(0);
  });
});
