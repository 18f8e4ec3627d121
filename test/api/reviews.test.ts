import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildSurvey } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const SITES = [
  { kind: 'google', url: 'https://g.page/r/garage-de-vries/review' },
  { kind: 'klantenvertellen', url: 'https://www.klantenvertellen.nl/reviews/1/garage_de_vries' },
  { kind: 'custom', url: 'https://garage.example/review', label: 'Onze eigen site' },
];

/** The review block of a thank-you page, or null when there is none. */
const reviewBlock = (page: string) =>
  /<section class="next-step review"[\s\S]*?<\/section>/.exec(page)?.[0] ?? null;

/**
 * Review requests (issue 12) through the API and the public pages, on both databases: the sites
 * an organisation chooses (https only), the ask on the thank-you page for every respondent who
 * agreed to be contacted whatever the score (no review gating), and the disclosure page.
 */
describeEachDialect('review requests', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  let surveyId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t);
    orgId = owner.organisationId;
    surveyId = (await buildSurvey(t.db.kysely, orgId)).id;
    const res = await owner.request({
      method: 'PUT',
      url: '/api/v1/review-settings',
      payload: { sites: SITES, askOnThanks: true },
    });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A customer answers on their personal link; the thank-you page they then see. */
  async function answer(o: { score: number; mayContact: boolean; org?: Client; survey?: string }) {
    const organisationId = o.org?.organisationId ?? orgId;
    const c = await buildContact(t.db.kysely, organisationId, { name: 'Anna Vos' });
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId, surveyId: o.survey ?? surveyId, contactId: c.id },
      { planned_at: t.clock.now },
    );
    const post = await t.app.inject({
      method: 'POST',
      url: `/r/${inv.token}`,
      headers: FORM,
      payload: `score=${o.score}&comment=Prima${o.mayContact ? '&mayContact=1' : ''}`,
    });
    expect(post.statusCode, post.body).toBe(303);
    return (await t.app.inject({ url: `/r/${inv.token}/thanks` })).body;
  }

  it('keeps the chosen sites and names the disclosure page', async () => {
    const res = await owner.request({ url: '/api/v1/review-settings' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ sites: { kind: string; label: string | null }[]; policyUrl: string }>();
    expect(body.sites.map((s) => s.kind)).toEqual(['google', 'klantenvertellen', 'custom']);
    expect(body.sites[0]?.label).toBe(null);
    expect(body.sites[2]?.label).toBe('Onze eigen site');
    expect(body.policyUrl).toMatch(new RegExp(`/o/${orgId}/reviews$`));
  });

  it('asks a detractor who opted in exactly what it asks a promoter who opted in', async () => {
    const detractor = reviewBlock(await answer({ score: 2, mayContact: true }));
    const passive = reviewBlock(await answer({ score: 7, mayContact: true }));
    const promoter = reviewBlock(await answer({ score: 10, mayContact: true }));
    expect(detractor).not.toBeNull();
    expect(detractor).toBe(promoter);
    expect(passive).toBe(promoter);
    expect(promoter).toContain('Wilt u een review schrijven?');
    expect(promoter).toContain('welk cijfer u ook gaf');
    for (const name of ['Google', 'Klantenvertellen', 'Onze eigen site']) {
      expect(promoter).toContain(`>Review op ${name}</a>`);
    }
    expect(promoter).toContain(
      'href="https://g.page/r/garage-de-vries/review" target="_blank" rel="noopener noreferrer"',
    );
    expect(promoter).toContain(`href="/o/${orgId}/reviews?lang=nl"`);
  });

  it('asks nobody who did not agree to be contacted, whatever the score', async () => {
    expect(reviewBlock(await answer({ score: 10, mayContact: false }))).toBeNull();
    expect(reviewBlock(await answer({ score: 1, mayContact: false }))).toBeNull();
  });

  it('asks nothing on the thank-you page when the organisation chose no site or switched it off', async () => {
    const other = await buildOrganisation(t, 'Bakkerij Zonder Reviews');
    const otherSurvey = (await buildSurvey(t.db.kysely, other.organisationId)).id;
    expect(
      reviewBlock(await answer({ score: 9, mayContact: true, org: other, survey: otherSurvey })),
    ).toBeNull();
    const off = await other.request({
      method: 'PUT',
      url: '/api/v1/review-settings',
      payload: { sites: SITES.slice(0, 1), askOnThanks: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(
      reviewBlock(await answer({ score: 9, mayContact: true, org: other, survey: otherSurvey })),
    ).toBeNull();
  });

  it('takes https addresses only and names the field that is wrong', async () => {
    const cases: [unknown, string, string][] = [
      [{ kind: 'google', url: 'http://g.page/r/x' }, 'sites.0.url', 'https_page_only'],
      [{ kind: 'trustpilot', url: 'javascript:alert(1)' }, 'sites.0.url', 'https_page_only'],
      [{ kind: 'google', url: 'https://a@evil.example/' }, 'sites.0.url', 'https_page_only'],
      [{ kind: 'custom', url: 'https://x.example/' }, 'sites.0.label', 'required'],
      [{ kind: 'yelp', url: 'https://x.example/' }, 'sites.0.kind', 'invalid_value'],
    ];
    for (const [site, field, problem] of cases) {
      const res = await owner.request({
        method: 'PUT',
        url: '/api/v1/review-settings',
        payload: { sites: [site], askOnThanks: true },
      });
      expect(res.statusCode, JSON.stringify(site)).toBe(400);
      const fields = res.json<{ error: { fields: { field: string; problem: string }[] } }>().error
        .fields;
      expect(fields).toContainEqual(expect.objectContaining({ field, problem }));
    }
    const nl = await owner.request({
      method: 'PUT',
      url: '/api/v1/review-settings',
      payload: { sites: [{ kind: 'google', url: 'http://g.page/r/x' }], askOnThanks: true },
    });
    expect(JSON.stringify(nl.json())).toContain('moet een https://-adres zijn');
    // Nothing of the refused requests was stored.
    const kept = await owner.request({ url: '/api/v1/review-settings' });
    expect(kept.json<{ sites: unknown[] }>().sites).toHaveLength(3);
  });

  it('sends the review email 24 hours after the answer unless the owner chooses other hours or none', async () => {
    const org = await buildOrganisation(t, 'Garage Uren');
    const get = async () =>
      (await org.request({ url: '/api/v1/review-settings' })).json<{
        emailAfterHours: number | null;
      }>().emailAfterHours;
    expect(await get()).toBe(24);
    const put = (extra: Record<string, unknown>) =>
      org.request({
        method: 'PUT',
        url: '/api/v1/review-settings',
        payload: { sites: SITES.slice(0, 1), askOnThanks: true, ...extra },
      });
    expect((await put({ emailAfterHours: 48 })).json()).toMatchObject({ emailAfterHours: 48 });
    // Left out, the stored choice stays (a client that knows only sites and the thank-you ask).
    expect((await put({})).json()).toMatchObject({ emailAfterHours: 48 });
    expect((await put({ emailAfterHours: null })).json()).toMatchObject({ emailAfterHours: null });
    expect(await get()).toBeNull();
    for (const [hours, problem] of [
      [0, 'too_small'],
      [337, 'too_big'],
      [1.5, 'invalid_type'],
      ['24', 'invalid_type'],
    ] as const) {
      const res = await put({ emailAfterHours: hours });
      expect(res.statusCode, String(hours)).toBe(400);
      const body = res.json<{
        error: { fields: { field: string; problem: string; message: string }[] };
      }>();
      expect(body.error.fields[0], String(hours)).toMatchObject({
        field: 'emailAfterHours',
        problem,
      });
      expect(body.error.fields[0]?.message, String(hours)).toContain(
        'Aantal uur tot de reviewmail',
      );
    }
    expect(await get()).toBeNull();
  });

  it('lets only owners choose the sites; every staff member may read them; nobody anonymous', async () => {
    const viewer = await buildMember(t, orgId, 'viewer');
    expect((await viewer.request({ url: '/api/v1/review-settings' })).statusCode).toBe(200);
    const admin = await buildMember(t, orgId, 'admin');
    const put = await admin.request({
      method: 'PUT',
      url: '/api/v1/review-settings',
      payload: { sites: [], askOnThanks: false },
    });
    expect(put.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/review-settings' })).statusCode).toBe(401);
    const anonymousPut = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/review-settings',
      payload: { sites: [], askOnThanks: false },
    });
    expect(anonymousPut.statusCode).toBe(401);
  });

  it('keeps each organisation to its own sites', async () => {
    const other = await buildOrganisation(t, 'Garage Buurman');
    const res = await other.request({
      method: 'PUT',
      url: '/api/v1/review-settings',
      payload: {
        sites: [{ kind: 'trustpilot', url: 'https://trustpilot.example/buurman' }],
        askOnThanks: true,
      },
    });
    expect(res.statusCode).toBe(200);
    const mine = await owner.request({ url: '/api/v1/review-settings' });
    expect(JSON.stringify(mine.json())).not.toContain('buurman');
    const page = await t.app.inject({ url: `/o/${orgId}/reviews` });
    expect(page.body).not.toContain('buurman');
  });

  it('publishes how the organisation collects reviews, in Dutch and English', async () => {
    const nl = await t.app.inject({ url: `/o/${orgId}/reviews` });
    expect(nl.statusCode).toBe(200);
    expect(nl.headers['content-security-policy']).toContain('nonce-');
    expect(nl.body).toContain('<h1>Hoe wij reviews verzamelen</h1>');
    expect(nl.body).toContain('welk cijfer u ook gaf');
    expect(nl.body).toContain('We betalen niet voor reviews');
    expect(nl.body).toContain('<a href="https://g.page/r/garage-de-vries/review"');
    expect(nl.body).toContain('>Onze eigen site</a>');
    const en = await t.app.inject({ url: `/o/${orgId}/reviews?lang=en` });
    expect(en.body).toContain('<h1>How we collect reviews</h1>');
    expect(en.body).toContain('whatever score they gave');
    expect(en.body).toContain(`href="/o/${orgId}/reviews?lang=nl"`);
  });

  it('speaks the browser’s language, unless the link names one', async () => {
    const page = (url: string, acceptLanguage?: string) =>
      t.app.inject({
        url,
        headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {},
      });
    const english = await page(`/o/${orgId}/reviews`, 'en-GB,en;q=0.9');
    expect(english.statusCode).toBe(200);
    expect(english.body).toContain('<h1>How we collect reviews</h1>');
    expect(english.body).toContain('<html lang="en"');
    expect(english.body).toContain(`href="/o/${orgId}/reviews?lang=nl"`);
    const dutch = await page(`/o/${orgId}/reviews`, 'nl-NL,nl;q=0.9,en;q=0.8');
    expect(dutch.body).toContain('<h1>Hoe wij reviews verzamelen</h1>');
    // The link's language (the switch, a link in a Dutch email) comes before the browser's.
    const chosen = await page(`/o/${orgId}/reviews?lang=nl`, 'en-GB,en;q=0.9');
    expect(chosen.body).toContain('<h1>Hoe wij reviews verzamelen</h1>');
    // A language the page does not speak: the organisation's (Dutch).
    const german = await page(`/o/${orgId}/reviews`, 'de-DE,de;q=0.9');
    expect(german.body).toContain('<h1>Hoe wij reviews verzamelen</h1>');
  });

  it('answers an unknown or malformed organisation with the friendly unknown page', async () => {
    const unknown = await t.app.inject({ url: `/o/00000000-0000-4000-8000-000000000000/reviews` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).not.toContain('Garage De Vries');
    const malformed = await t.app.inject({ url: `/o/not-an-id/reviews` });
    expect(malformed.statusCode).toBe(404);
  });
});
