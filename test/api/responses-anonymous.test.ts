import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const DAY = 24 * 60 * 60 * 1000;

describeEachDialect('the anonymous link for walk-in customers', (dialect) => {
  let t: TestApp;
  let orgId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    orgId = (await buildOrganisation(t, 'Bakkerij Van Dam')).organisationId;
  });
  afterAll(async () => t.close());

  const responsesOf = (surveyId: string) =>
    t.db.kysely
      .selectFrom('responses')
      .select(['score', 'comment', 'channel', 'contact_id', 'locale', 'device_key'])
      .where('organisation_id', '=', orgId)
      .where('survey_id', '=', surveyId)
      .orderBy('score')
      .execute();

  /** A browser: keeps the device cookie the server sets, like a real phone would. */
  function browser() {
    let cookie = '';
    return {
      async request(opts: {
        method?: 'GET' | 'POST';
        url: string;
        payload?: string;
        lang?: string;
      }) {
        const res = await t.app.inject({
          method: opts.method ?? 'GET',
          url: opts.url,
          headers: {
            ...(opts.payload !== undefined ? FORM : {}),
            ...(cookie ? { cookie } : {}),
            ...(opts.lang ? { 'accept-language': opts.lang } : {}),
          },
          ...(opts.payload !== undefined ? { payload: opts.payload } : {}),
        });
        const set = res.cookies.find((c) => c.name === 'loyaal_device');
        if (set) cookie = `loyaal_device=${set.value}`;
        return res;
      },
    };
  }

  it('keeps one answer per browser, and a second browser adds a second', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const phone = browser();
    const page = await phone.request({ url: `/s/${survey.anonymous_token}` });
    expect(page.statusCode).toBe(200);
    const cookie = page.cookies.find((c) => c.name === 'loyaal_device');
    expect(cookie?.httpOnly).toBe(true);
    expect(page.body).toContain('Bakkerij Van Dam');
    // No personal questions for someone we cannot reach.
    expect(page.body).not.toContain('name="mayContact"');

    const first = await phone.request({
      method: 'POST',
      url: `/s/${survey.anonymous_token}?lang=nl`,
      payload: 'score=7&comment=Lekker+brood',
    });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`/s/${survey.anonymous_token}/thanks?lang=nl`);
    const again = await phone.request({
      method: 'POST',
      url: `/s/${survey.anonymous_token}?lang=nl`,
      payload: 'score=9&comment=Heel+lekker+brood',
    });
    expect(again.statusCode).toBe(303);
    expect(await responsesOf(survey.id)).toEqual([
      expect.objectContaining({
        score: 9,
        comment: 'Heel lekker brood',
        channel: 'anonymous',
        contact_id: null,
      }),
    ]);
    const thanks = await phone.request({ url: `/s/${survey.anonymous_token}/thanks?lang=nl` });
    expect(thanks.body).toContain('Fijn dat u Bakkerij Van Dam zou aanbevelen.');
    const reopened = await phone.request({ url: `/s/${survey.anonymous_token}` });
    expect(reopened.body).toContain('id="score-9" value="9" required checked>');

    const tablet = browser();
    await tablet.request({ url: `/s/${survey.anonymous_token}` });
    await tablet.request({
      method: 'POST',
      url: `/s/${survey.anonymous_token}`,
      payload: 'score=4',
    });
    expect((await responsesOf(survey.id)).map((r) => r.score)).toEqual([4, 9]);
  });

  it('starts a new answer on the same phone once the earlier one is final', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const phone = browser();
    await phone.request({ url: `/s/${survey.anonymous_token}` });
    await phone.request({
      method: 'POST',
      url: `/s/${survey.anonymous_token}`,
      payload: 'score=8',
    });
    const start = t.clock.now;
    t.clock.now = start + 90 * DAY;
    try {
      const page = await phone.request({ url: `/s/${survey.anonymous_token}` });
      expect(page.body).not.toContain('checked>');
      await phone.request({
        method: 'POST',
        url: `/s/${survey.anonymous_token}`,
        payload: 'score=10',
      });
      expect((await responsesOf(survey.id)).map((r) => r.score)).toEqual([8, 10]);
    } finally {
      t.clock.now = start;
    }
  });

  it('speaks the browser’s language and offers a switch', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const en = await t.app.inject({
      url: `/s/${survey.anonymous_token}`,
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain(`href="/s/${survey.anonymous_token}?lang=nl"`);
    const nl = await t.app.inject({ url: `/s/${survey.anonymous_token}?lang=nl` });
    expect(nl.body).toContain('<html lang="nl">');
    await t.app.inject({
      method: 'POST',
      url: `/s/${survey.anonymous_token}?lang=en`,
      headers: FORM,
      payload: 'score=6',
    });
    expect((await responsesOf(survey.id))[0]?.locale).toBe('en');
  });

  it('accepts answers only for active surveys, and knows no unknown token', async () => {
    const draft = await buildSurvey(t.db.kysely, orgId, { status: 'draft' });
    const page = await t.app.inject({ url: `/s/${draft.anonymous_token}` });
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('Deze vragenlijst is gesloten');
    const post = await t.app.inject({
      method: 'POST',
      url: `/s/${draft.anonymous_token}`,
      headers: FORM,
      payload: 'score=9',
    });
    expect(post.statusCode).toBe(410);
    expect(await responsesOf(draft.id)).toEqual([]);
    const unknown = await t.app.inject({ url: '/s/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).not.toContain('Bakkerij');
  });

  it('keeps the “change until …” notice on a form that comes back with a problem', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const phone = browser();
    await phone.request({ url: `/s/${survey.anonymous_token}` });
    await phone.request({
      method: 'POST',
      url: `/s/${survey.anonymous_token}?lang=nl`,
      payload: 'score=8&comment=Goed',
    });
    const editing = await phone.request({ url: `/s/${survey.anonymous_token}?lang=nl` });
    const notice =
      /<p class="notice">U hebt al geantwoord\. U kunt uw antwoord wijzigen tot [^<]+<\/p>/.exec(
        editing.body,
      )?.[0];
    expect(notice).toBeDefined();
    expect(editing.body).toContain('Antwoord bijwerken');

    for (const payload of ['score=11', `score=9&comment=${'z'.repeat(5001)}`]) {
      const refused = await phone.request({
        method: 'POST',
        url: `/s/${survey.anonymous_token}?lang=nl`,
        payload,
      });
      expect(refused.statusCode, payload.slice(0, 20)).toBe(400);
      // Still the same answer, still changeable until the same moment: the notice and the button say so.
      expect(refused.body).toContain(notice);
      expect(refused.body).toContain('Antwoord bijwerken');
    }
    expect((await responsesOf(survey.id)).map((r) => [r.score, r.comment])).toEqual([[8, 'Goed']]);

    // A new phone has no answer to change: its refused form promises nothing.
    const fresh = browser();
    await fresh.request({ url: `/s/${survey.anonymous_token}` });
    const refused = await fresh.request({
      method: 'POST',
      url: `/s/${survey.anonymous_token}?lang=nl`,
      payload: 'score=11',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).not.toContain('class="notice"');
  });

  it('promises no change on a refused form once the earlier answer is final', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    const phone = browser();
    await phone.request({ url: `/s/${survey.anonymous_token}` });
    await phone.request({
      method: 'POST',
      url: `/s/${survey.anonymous_token}`,
      payload: 'score=8',
    });
    const start = t.clock.now;
    t.clock.now = start + 90 * DAY;
    try {
      const refused = await phone.request({
        method: 'POST',
        url: `/s/${survey.anonymous_token}?lang=nl`,
        payload: 'score=11',
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).not.toContain('class="notice"');
      expect(refused.body).not.toContain('Antwoord bijwerken');
    } finally {
      t.clock.now = start;
    }
  });

  it('refuses bad input and stores nothing', async () => {
    const survey = await buildSurvey(t.db.kysely, orgId);
    for (const payload of ['score=11', 'score=abc', '', `score=5&comment=${'z'.repeat(5001)}`]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/s/${survey.anonymous_token}`,
        headers: FORM,
        payload,
      });
      expect(res.statusCode, payload.slice(0, 20)).toBe(400);
    }
    expect(await responsesOf(survey.id)).toEqual([]);
  });
});
