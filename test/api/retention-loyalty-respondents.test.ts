import { afterAll, beforeAll, expect, it } from 'vitest';
import { runRetention } from '../../src/modules/privacy/retention.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import { buildInvitation, buildResponse, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Retention anonymises answers older than the organisation's period (they no longer name who gave
 * them); the loyalty report must not then count those customers as having never answered.
 */
describeEachDialect('retention and the loyalty report', (dialect) => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage De Vries');
    const patch = await owner.request({
      method: 'PATCH',
      url: '/api/v1/organisation',
      payload: { settings: { retentionMonths: 6 } },
    });
    expect(patch.statusCode, patch.body).toBe(200);
  });
  afterAll(async () => t.close());

  it('does not turn customers who answered into non-respondents', async () => {
    const orgId = owner.organisationId;
    const survey = await buildSurvey(t.db.kysely, orgId);
    const answeredAt = t.clock.now - 200 * DAY;
    for (let i = 0; i < 3; i++) {
      const res = await owner.request({
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { name: `Klant ${i}`, email: `klant${i}@example.nl`, externalId: `K-${i}` },
      });
      expect(res.statusCode, res.body).toBe(201);
      const contactId = res.json<{ id: string }>().id;
      const visit = await owner.request({
        method: 'POST',
        url: '/api/v1/visits',
        payload: {
          externalId: `V-${i}`,
          customer: { externalId: `K-${i}` },
          visitedAt: new Date(answeredAt + 30 * DAY).toISOString(),
          amount: 80,
        },
      });
      expect(visit.statusCode, visit.body).toBe(201);
      const inv = await buildInvitation(
        t.db.kysely,
        { organisationId: orgId, surveyId: survey.id, contactId },
        { planned_at: answeredAt - DAY, responded_at: answeredAt },
      );
      await buildResponse(
        t.db.kysely,
        { organisationId: orgId, surveyId: survey.id },
        { contact_id: contactId, invitation_id: inv.id, score: 10, answered_at: answeredAt },
      );
    }
    const categories = async () =>
      Object.fromEntries(
        (await owner.request({ url: '/api/v1/loyalty' }))
          .json<{ categories: { category: string; customers: number }[] }>()
          .categories.filter((c) => c.customers > 0)
          .map((c) => [c.category, c.customers]),
      );
    expect(await categories()).toEqual({ promoter: 3 });
    await runRetention(t.deps, orgId);
    // All three answered 10 (their invitations still carry responded_at).
    expect(await categories()).not.toHaveProperty('non_respondent');
  });
});
