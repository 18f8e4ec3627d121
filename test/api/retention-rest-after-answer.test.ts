import { afterAll, beforeAll, expect, it } from 'vitest';
import { runRetention } from '../../src/modules/privacy/retention.service.ts';
import { describeEachDialect } from '../support/databases.ts';
import * as f from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const DAY = 24 * 60 * 60 * 1000;

/**
 * The rest after an answer (`recentResponseDays`, up to a year) outlasts a retention period of six
 * months: a customer whose answer was anonymised still rests, as their invitation says they answered.
 */
describeEachDialect('retention and the rest after an answer', (dialect) => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Installatiebedrijf Smit');
  });
  afterAll(async () => t.close());

  it('still lets a customer rest a year after answering when answers are kept 6 months', async () => {
    // Accepted together: keep answers 6 months, rest 365 days after an answer.
    const patch = await owner.request({
      method: 'PATCH',
      url: '/api/v1/organisation',
      payload: {
        settings: {
          retentionMonths: 6,
          contactRules: { recentResponseDays: 365, minDaysBetweenInvitations: 30 },
        },
      },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const orgId = owner.organisationId;
    const survey = await f.buildSurvey(t.db.kysely, orgId);
    const contact = await f.buildContact(t.db.kysely, orgId, { name: 'Henk de Wit' });
    const answeredAt = t.clock.now - 200 * DAY;
    const inv = await f.buildInvitation(
      t.db.kysely,
      { organisationId: orgId, surveyId: survey.id, contactId: contact.id },
      { planned_at: answeredAt - DAY, responded_at: answeredAt },
    );
    await f.buildResponse(
      t.db.kysely,
      { organisationId: orgId, surveyId: survey.id },
      { contact_id: contact.id, invitation_id: inv.id, score: 9, answered_at: answeredAt },
    );
    const preview = async () =>
      (
        await owner.request({
          method: 'POST',
          url: `/api/v1/surveys/${survey.id}/sends/preview`,
          payload: { selection: { kind: 'contacts', contactIds: [contact.id] } },
        })
      ).json<{ eligible: number; reasons: Record<string, number> }>();

    expect(await preview()).toMatchObject({ eligible: 0, reasons: { responded_recently: 1 } });
    await runRetention(t.deps, orgId); // anonymises the 200-day-old answer
    expect(await preview()).toMatchObject({ eligible: 0, reasons: { responded_recently: 1 } });
  });
});
