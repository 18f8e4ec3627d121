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

  it('says “please wait” in the language the link asks for, as the form would', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const post = (url: string, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { ...FORM, ...headers },
        payload: 'score=10',
        remoteAddress: '203.0.113.9',
      });
    for (let i = 0; i < 30; i++) {
      expect((await post(`/s/${survey.anonymous_token}?lang=en`)).statusCode).toBe(303);
    }
    // The form's own action carries ?lang=en: the English page's visitor is told in English,
    // whatever the browser's Accept-Language says.
    const en = await post(`/s/${survey.anonymous_token}?lang=en`, { 'accept-language': 'nl' });
    expect(en.statusCode).toBe(429);
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Please wait a moment');
    const nl = await post(`/s/${survey.anonymous_token}?lang=nl`, { 'accept-language': 'en' });
    expect(nl.statusCode).toBe(429);
    expect(nl.body).toContain('<html lang="nl">');
    expect(nl.body).toContain('Even wachten');
    // No choice in the link: the browser's language, as on the form.
    const browser = await post(`/s/${survey.anonymous_token}`, { 'accept-language': 'en-GB' });
    expect(browser.body).toContain('<html lang="en">');
    // A ?lang= that is no language of ours is no choice.
    const odd = await post(`/s/${survey.anonymous_token}?lang=fr`, { 'accept-language': 'en' });
    expect(odd.body).toContain('<html lang="en">');
    expect(await countResponses(survey.id)).toBe(30);
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
