import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describeEachDialect('the rate limit on answers', (dialect) => {
  let t: TestApp;
  let orgId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    orgId = (await buildOrganisation(t, 'Bakkerij Van Dam')).organisationId;
  });
  afterAll(async () => t.close());

  const countResponses = async (surveyId: string) =>
    Number(
      (
        await t.db.kysely
          .selectFrom('responses')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('organisation_id', '=', orgId)
          .where('survey_id', '=', surveyId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('stops the 31st anonymous answer from one address within a minute, and stores nothing more', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    // No device cookie: every POST is a "new phone" and would store another answer.
    const post = (remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: `/s/${survey.anonymous_token}`,
        headers: FORM,
        payload: 'score=10',
        remoteAddress,
      });
    for (let i = 0; i < 30; i++) {
      expect((await post('203.0.113.7')).statusCode).toBe(303);
    }
    expect(await countResponses(survey.id)).toBe(30);
    const stuffed = await post('203.0.113.7');
    expect(stuffed.statusCode).toBe(429);
    expect(await countResponses(survey.id)).toBe(30);
    // Another address is not affected.
    expect((await post('198.51.100.2')).statusCode).toBe(303);
    expect(await countResponses(survey.id)).toBe(31);
  });

  it('keeps the generous limit for personal links from one address', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const contact = await buildContact(t.db.kysely, orgId);
    const invitation = await buildInvitation(t.db.kysely, {
      organisationId: orgId,
      surveyId: survey.id,
      contactId: contact.id,
    });
    for (let i = 0; i < 31; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/r/${invitation.token}`,
        headers: FORM,
        payload: `score=${i % 11}`,
        remoteAddress: '203.0.113.8',
      });
      expect(res.statusCode, res.body).not.toBe(429);
    }
    expect(await countResponses(survey.id)).toBe(1);
  });
});
