import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type TestApp } from '../support/harness.ts';

/**
 * A personal or anonymous link with a slash after the token (a link rewritten by a mail client or
 * chat app, or typed from the poster) is the same link: its page, with the public pages' headers.
 */
describeEachDialect('a public link with a trailing slash', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('is a page for a person, never JSON', async () => {
    const owner = await buildOrganisation(t, 'Garage De Vries');
    const survey = await buildSurvey(t.db.kysely, owner.organisationId);
    const contact = await buildContact(t.db.kysely, owner.organisationId);
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: owner.organisationId, surveyId: survey.id, contactId: contact.id },
      { planned_at: t.clock.now },
    );
    const seen = [];
    for (const url of [
      `/r/${inv.token}/`,
      `/r/${inv.token}/?score=9`,
      `/s/${survey.anonymous_token}/`,
      `/u/${inv.token}/`,
    ]) {
      const res = await t.app.inject({ url, headers: { 'accept-language': 'nl-NL,nl;q=0.9' } });
      seen.push({
        url: url.replace(/[A-Za-z0-9_-]{30,}/, 'TOKEN'),
        status: res.statusCode,
        type: String(res.headers['content-type']).split(';')[0],
        referrer: res.headers['referrer-policy'],
      });
    }
    expect(seen.filter((s) => s.type !== 'text/html' || s.referrer !== 'no-referrer')).toEqual([]);
    expect(seen.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    // Cut short before or at its token: the friendly page that says the link does not work.
    for (const url of ['/r/', '/r', '/s/', '/u/', '/f/', '/r/?score=9']) {
      const res = await t.app.inject({ url, headers: { 'accept-language': 'nl-NL,nl;q=0.9' } });
      expect(
        { url, status: res.statusCode, type: String(res.headers['content-type']).split(';')[0] },
        res.body.slice(0, 200),
      ).toEqual({ url, status: 404, type: 'text/html' });
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
    // The page's script (a JSON request) still gets JSON.
    const api = await t.app.inject({ method: 'POST', url: '/r/', payload: { score: 9 } });
    expect(String(api.headers['content-type'])).toContain('application/json');
  });
});
