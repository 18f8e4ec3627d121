import { afterAll, beforeAll, expect, it } from 'vitest';
import { RETENTION_AUDIT_ACTION } from '../../src/modules/privacy/retention.service.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildResponse, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const DAY = 24 * 60 * 60 * 1000;

describeEachDialect('retention: the daily clean-up of what may no longer be kept', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let other: Client;
  let orgId: string;
  // 29 November 2026, 03:31 in Amsterdam (UTC+1): the 03:30 schedule has come due.
  const NIGHT = Date.UTC(2026, 10, 29, 2, 31);

  beforeAll(async () => {
    t = await startTestApp(dialect);
    // Sessions last 14 days: log in on the evening before the night of the clean-up.
    t.clock.now = NIGHT - 6 * 60 * 60 * 1000;
    owner = await buildOrganisation(t, 'Garage De Vries');
    other = await buildOrganisation(t, 'Installatiebedrijf Smit');
    orgId = owner.organisationId;
    const patch = await owner.request({
      method: 'PATCH',
      url: '/api/v1/organisation',
      payload: { settings: { retentionMonths: 12 } },
    });
    expect(patch.statusCode).toBe(200);
  });
  afterAll(async () => t.close());

  it('anonymises old answers without changing a figure, and cleans emails and links', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const contact = await buildContact(t.db.kysely, orgId, { name: 'Ingrid van der Vos' });
    const oldInvitation = await buildInvitation(
      t.db.kysely,
      { organisationId: orgId, surveyId: survey.id, contactId: contact.id },
      { planned_at: NIGHT - 400 * DAY, expires_at: NIGHT - 340 * DAY },
    );
    const freshInvitation = await buildInvitation(
      t.db.kysely,
      { organisationId: orgId, surveyId: survey.id, contactId: contact.id },
      { planned_at: NIGHT - 20 * DAY, expires_at: NIGHT + 40 * DAY },
    );
    const old = await buildResponse(
      t.db.kysely,
      { organisationId: orgId, surveyId: survey.id },
      {
        score: 3,
        contact_id: contact.id,
        invitation_id: oldInvitation.id,
        comment: 'De monteur was onbeleefd',
        may_contact: 1,
        answered_at: NIGHT - 399 * DAY,
      },
    );
    const recent = await buildResponse(
      t.db.kysely,
      { organisationId: orgId, surveyId: survey.id },
      {
        score: 10,
        contact_id: contact.id,
        invitation_id: freshInvitation.id,
        comment: 'Top service',
        answered_at: NIGHT - 19 * DAY,
      },
    );
    // The other organisation keeps 36 months: its 13-month-old answer stays as it is.
    const otherSurvey = await buildSurvey(t.db.kysely, other.organisationId);
    const otherOld = await buildResponse(
      t.db.kysely,
      { organisationId: other.organisationId, surveyId: otherSurvey.id },
      { comment: 'Prima', answered_at: NIGHT - 399 * DAY },
    );
    const email = (id: string, createdAt: number) => ({
      id,
      organisation_id: orgId,
      kind: 'invitation' as const,
      invitation_id: oldInvitation.id,
      to_address: 'ingrid@example.nl',
      subject: 'Eén vraag van Garage De Vries',
      text_body: `https://nps.example.nl/r/${oldInvitation.token}`,
      html_body: `<a href="https://nps.example.nl/r/${oldInvitation.token}">9</a>`,
      headers: '{"List-Unsubscribe":"<https://nps.example.nl/u/x>"}',
      message_id: `<${id}@loyaal.test>`,
      status: 'sent' as const,
      transport: 'smtp' as const,
      error: null,
      sent_at: createdAt,
      created_at: createdAt,
    });
    await t.db.kysely
      .insertInto('emails')
      .values([
        email('00000000-0000-7000-8000-000000000001', NIGHT - 400 * DAY),
        email('00000000-0000-7000-8000-000000000002', NIGHT - 100 * DAY),
        email('00000000-0000-7000-8000-000000000003', NIGHT - 10 * DAY),
      ])
      .execute();

    t.clock.now = NIGHT;
    const summary = async () =>
      (
        await owner.request({
          url: `/api/v1/results/summary?surveyId=${survey.id}&from=2020-01-01&to=2027-01-01`,
        })
      ).json<unknown>();
    const before = await summary();

    // Three workers see the schedule come due at the same moment: one sweep, one run per tenant.
    const workers = [1, 2, 3].map(() => startWorker(t.deps, { concurrency: 2 }, false));
    await Promise.all(workers.map((w) => w.drain()));
    await Promise.all(workers.map((w) => w.drain()));
    const jobs = await t.db.kysely
      .selectFrom('jobs')
      .select(['type', 'status', 'organisation_id'])
      .where('type', 'like', 'privacy.%')
      .execute();
    expect(jobs.filter((j) => j.type === 'privacy.retention-sweep')).toHaveLength(1);
    const runs = jobs.filter((j) => j.type === 'privacy.retention-run');
    expect(runs.map((j) => j.organisation_id).sort()).toEqual([orgId, other.organisationId].sort());
    expect(jobs.every((j) => j.status === 'done')).toBe(true);

    const responses = await t.db.kysely
      .selectFrom('responses')
      .select(['id', 'score', 'category', 'contact_id', 'invitation_id', 'comment', 'may_contact'])
      .select('anonymised_at')
      .where('id', 'in', [old.id, recent.id, otherOld.id])
      .execute();
    const byId = new Map(responses.map((r) => [r.id, r]));
    expect(byId.get(old.id)).toEqual({
      id: old.id,
      score: 3,
      category: 'detractor',
      contact_id: null,
      invitation_id: null,
      comment: null,
      may_contact: 0,
      anonymised_at: NIGHT,
    });
    expect(byId.get(recent.id)).toMatchObject({
      contact_id: contact.id,
      comment: 'Top service',
      anonymised_at: null,
    });
    expect(byId.get(otherOld.id)).toMatchObject({ comment: 'Prima', anonymised_at: null });
    expect(await summary()).toEqual(before);

    const emails = await t.db.kysely
      .selectFrom('emails')
      .select(['id', 'to_address', 'html_body', 'text_body', 'headers'])
      .where('organisation_id', '=', orgId)
      .orderBy('id')
      .execute();
    expect(emails.map((e) => [e.to_address, e.html_body === '', e.headers])).toEqual([
      ['erased', true, '{}'],
      ['ingrid@example.nl', true, '{}'],
      ['ingrid@example.nl', false, '{"List-Unsubscribe":"<https://nps.example.nl/u/x>"}'],
    ]);

    // The long-expired link identifies nobody any more; the fresh one still works.
    const tokens = await t.db.kysely
      .selectFrom('invitations')
      .select(['id', 'token'])
      .where('id', 'in', [oldInvitation.id, freshInvitation.id])
      .execute();
    expect(tokens.find((i) => i.id === oldInvitation.id)?.token).toBe(`~${oldInvitation.id}`);
    expect(tokens.find((i) => i.id === freshInvitation.id)?.token).toBe(freshInvitation.token);
    expect((await t.app.inject({ url: `/r/${oldInvitation.token}` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/u/${oldInvitation.token}` })).statusCode).toBe(404);

    const status = await owner.request({ url: '/api/v1/privacy/retention' });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual({
      retentionMonths: 12,
      lastRun: {
        at: new Date(NIGHT).toISOString(),
        cutoff: '2025-11-29T02:31:00.000Z',
        anonymisedResponses: 1,
        deletedEmailBodies: 2,
        anonymisedEmails: 1,
        deletedLinkTokens: 1,
      },
    });
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select(['organisation_id', 'actor_type'])
      .where('action', '=', RETENTION_AUDIT_ACTION)
      .execute();
    expect(audit).toHaveLength(2);
    expect(audit.every((a) => a.actor_type === 'system')).toBe(true);

    // The next night finds nothing left to do, and says so.
    t.clock.now = NIGHT + DAY;
    await startWorker(t.deps, { concurrency: 2 }, false).drain();
    const next = await owner.request({ url: '/api/v1/privacy/retention' });
    expect(next.json<{ lastRun: Record<string, unknown> }>().lastRun).toMatchObject({
      at: new Date(NIGHT + DAY).toISOString(),
      anonymisedResponses: 0,
      deletedEmailBodies: 0,
      anonymisedEmails: 0,
      deletedLinkTokens: 0,
    });
  });

  it('shows the clean-up to the owner only', async () => {
    const status = await other.request({ url: '/api/v1/privacy/retention' });
    expect(status.json()).toMatchObject({ retentionMonths: 36 });
    expect((await t.app.inject({ url: '/api/v1/privacy/retention' })).statusCode).toBe(401);
  });
});
