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

  /** Opens the anonymous form as a new phone would, and returns its page-load token. */
  const openForm = async (anonymousToken: string, remoteAddress: string) => {
    const page = await t.app.inject({ method: 'GET', url: `/s/${anonymousToken}`, remoteAddress });
    expect(page.statusCode).toBe(200);
    const token = /name="pageToken" value="([^"]+)"/.exec(page.body)?.[1];
    expect(token).toBeDefined();
    return token ?? '';
  };
  const postForm = (anonymousToken: string, remoteAddress: string, pageToken: string, q = '') =>
    t.app.inject({
      method: 'POST',
      url: `/s/${anonymousToken}${q}`,
      headers: FORM,
      payload: `score=9&pageToken=${encodeURIComponent(pageToken)}`,
      remoteAddress,
    });

  it('takes the answers of 40 phones behind one mobile-network address within a minute', async () => {
    t.clock.now = Date.parse('2026-11-20T10:00:00+01:00');
    const survey = await buildSurvey(t.db.kysely, orgId);
    for (let i = 0; i < 40; i++) {
      const pageToken = await openForm(survey.anonymous_token, '203.0.113.20');
      const res = await postForm(survey.anonymous_token, '203.0.113.20', pageToken);
      expect(res.statusCode, `phone ${i + 1}`).toBe(303);
    }
    expect(await countResponses(survey.id)).toBe(40);
  });

  it('refuses a flood from one page load with the translated page, not the next phone', async () => {
    t.clock.now = Date.parse('2026-11-20T10:05:00+01:00');
    const survey = await buildSurvey(t.db.kysely, orgId);
    const pageToken = await openForm(survey.anonymous_token, '203.0.113.21');
    for (let i = 0; i < 10; i++) {
      const res = await postForm(survey.anonymous_token, '203.0.113.21', pageToken, '?lang=en');
      expect(res.statusCode).toBe(303);
    }
    const flood = await postForm(survey.anonymous_token, '203.0.113.21', pageToken, '?lang=en');
    expect(flood.statusCode).toBe(429);
    expect(flood.body).toContain('<html lang="en">');
    expect(flood.body).toContain('Please wait a moment');
    expect(await countResponses(survey.id)).toBe(10);
    // The next phone at the same address opens its own form and is taken.
    const next = await openForm(survey.anonymous_token, '203.0.113.21');
    expect((await postForm(survey.anonymous_token, '203.0.113.21', next)).statusCode).toBe(303);
    expect(await countResponses(survey.id)).toBe(11);
  });

  it('counts a token of another link, a forged or an old one as no token: per address', async () => {
    t.clock.now = Date.parse('2026-11-20T10:10:00+01:00');
    const survey = await buildSurvey(t.db.kysely, orgId);
    const other = await buildSurvey(t.db.kysely, orgId);
    const ip = '203.0.113.22';
    const foreign = await openForm(other.anonymous_token, ip);
    const own = await openForm(survey.anonymous_token, ip);
    const forged = `${own.slice(0, -2)}${own.endsWith('AA') ? 'BB' : 'AA'}`;
    t.clock.now += 25 * 60 * 60 * 1000;
    const tokens = [foreign, forged, own];
    for (let i = 0; i < 30; i++) {
      const res = await postForm(survey.anonymous_token, ip, tokens[i % 3] ?? '');
      expect(res.statusCode).toBe(303);
    }
    expect((await postForm(survey.anonymous_token, ip, own)).statusCode).toBe(429);
    expect(await countResponses(survey.id)).toBe(30);
  });

  it('holds the per-address ceiling of every page load together, in the shared counter', async () => {
    t.clock.now = Date.parse('2026-11-20T10:15:00+01:00');
    const survey = await buildSurvey(t.db.kysely, orgId);
    const ip = '203.0.113.23';
    // 600 POSTs from this address this minute (60 page loads of 10), as another process counted.
    await Promise.all(
      Array.from({ length: 600 }, () =>
        t.app.rateCounter.hit(`anonymous-address|${ip}`, 60_000, Date.now()),
      ),
    );
    const pageToken = await openForm(survey.anonymous_token, ip);
    const refused = await postForm(survey.anonymous_token, ip, pageToken, '?lang=nl');
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Even wachten');
    expect(await countResponses(survey.id)).toBe(0);
    // Another address is not affected.
    const elsewhere = await openForm(survey.anonymous_token, '198.51.100.23');
    expect((await postForm(survey.anonymous_token, '198.51.100.23', elsewhere)).statusCode).toBe(
      303,
    );
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
