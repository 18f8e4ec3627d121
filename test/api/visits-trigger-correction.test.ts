import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

/**
 * A visit the trigger planned an invitation for, corrected before it went out to a kind the
 * trigger does not ask about (the workshop's work order was a tyre change, not an APK): no
 * invitation goes out, and the visit says why.
 */
describeEachDialect('a visit corrected before its invitation', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  const drain = () => startWorker(t.deps, { concurrency: 1 }, false).drain();

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, { SMTP_URL: smtp.url, MAIL_FROM: 'Loyaal <nps@loyaal.test>' });
    // Monday 2 November 2026, 10:00 in Amsterdam.
    t.clock.now = Date.UTC(2026, 10, 2, 9, 0);
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  it('to another kind is not invited for', async () => {
    const owner = await buildOrganisation(t, 'Garage Soort');
    const survey = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'Na de APK', status: 'active' },
    });
    const surveyId = survey.json<{ id: string }>().id;
    const customer = await owner.request({
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { name: 'Anna', email: 'anna@example.nl', externalId: 'K-1' },
    });
    expect(customer.statusCode, customer.body).toBe(201);
    const trigger = await owner.request({
      method: 'PUT',
      url: '/api/v1/visit-trigger',
      payload: { surveyId, enabled: true, kinds: ['APK'], delayDays: 3 },
    });
    expect(trigger.statusCode, trigger.body).toBe(200);
    const record = (kind: string) =>
      owner.request({
        method: 'POST',
        url: '/api/v1/visits',
        payload: {
          externalId: 'W-1',
          customer: { externalId: 'K-1' },
          visitedAt: '2026-11-02',
          amount: 49,
          kind,
        },
      });
    expect((await record('APK')).statusCode).toBe(201);
    // The same day the work order is corrected: a tyre change.
    expect((await record('Banden')).statusCode).toBe(200);
    const before = smtp.received.length;
    t.clock.now = Date.UTC(2026, 10, 5, 9, 5);
    await drain();
    expect(smtp.received.length).toBe(before);
    const row = await t.db.kysely
      .selectFrom('visits')
      .select(['kind_key', 'invitation_status', 'skip_reason', 'invitation_id'])
      .where('organisation_id', '=', owner.organisationId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      kind_key: 'banden',
      invitation_status: 'skipped',
      skip_reason: 'visit_kind',
      invitation_id: null,
    });
  });
});
