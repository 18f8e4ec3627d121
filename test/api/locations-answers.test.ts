import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation, buildResponse, buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const DAY = 86_400_000;

interface Group {
  key: string;
  label: string | null;
  n: number;
  nps: number;
  shrunk: { estimate: number; low: number; high: number } | null;
  belowMinimum: boolean;
}

/**
 * Locations on answers (issue 10): an answer keeps the location its contact had when they first
 * answered, an anonymous link or QR poster names its location (`?v=`), and the breakdown per
 * location has the same shrinkage and funnel as every other dimension.
 */
describeEachDialect('locations: snapshotted on answers, broken down in results', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let org: string;
  const locations: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage Drie Vestigingen');
    org = owner.organisationId;
    for (const name of ['Leeuwarden', 'Sneek', 'Drachten']) {
      const res = await owner.request({
        method: 'POST',
        url: '/api/v1/locations',
        payload: { name },
      });
      locations[name] = res.json<{ id: string }>().id;
    }
  });
  afterAll(async () => t.close());

  const locationOf = async (responseFilter: { contactId?: string; surveyId?: string }) =>
    (
      await t.db.kysely
        .selectFrom('responses')
        .select(['location_id', 'score'])
        .where('organisation_id', '=', org)
        .$if(!!responseFilter.contactId, (q) =>
          q.where('contact_id', '=', responseFilter.contactId ?? ''),
        )
        .$if(!!responseFilter.surveyId, (q) =>
          q.where('survey_id', '=', responseFilter.surveyId ?? ''),
        )
        .orderBy('id')
        .execute()
    ).map((r) => [r.location_id, r.score]);

  it("keeps the contact's location as it was at the first answer", async () => {
    const survey = await buildSurvey(t.db.kysely, org);
    const contact = await buildContact(t.db.kysely, org, {
      name: 'Ingrid Jansen',
      location_id: locations.Sneek,
    });
    const inv = await buildInvitation(
      t.db.kysely,
      { organisationId: org, surveyId: survey.id, contactId: contact.id },
      { planned_at: t.clock.now - DAY, expires_at: t.clock.now + 30 * DAY },
    );
    const first = await t.app.inject({
      method: 'POST',
      url: `/r/${inv.token}`,
      payload: { score: 6 },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(await locationOf({ contactId: contact.id })).toEqual([[locations.Sneek, 6]]);
    // The customer moves to Drachten and then changes the answer: the answer stays Sneek's.
    await t.db.kysely
      .updateTable('contacts')
      .set({ location_id: locations.Drachten })
      .where('organisation_id', '=', org)
      .where('id', '=', contact.id)
      .execute();
    const edit = await t.app.inject({
      method: 'POST',
      url: `/r/${inv.token}`,
      payload: { score: 9 },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(await locationOf({ contactId: contact.id })).toEqual([[locations.Sneek, 9]]);
  });

  it('records the location an anonymous link names, and keeps it through the form', async () => {
    const survey = await buildSurvey(t.db.kysely, org);
    const token = survey.anonymous_token;
    const v = locations.Leeuwarden ?? '';
    let cookie = '';
    const visit = async (url: string, payload?: string) => {
      const res = await t.app.inject({
        method: payload === undefined ? 'GET' : 'POST',
        url,
        headers: { ...(payload !== undefined ? FORM : {}), ...(cookie ? { cookie } : {}) },
        ...(payload !== undefined ? { payload } : {}),
      });
      const set = res.cookies.find((c) => c.name === 'loyaal_device');
      if (set) cookie = `loyaal_device=${set.value}`;
      return res;
    };
    const page = await visit(`/s/${token}?v=${v}`);
    expect(page.statusCode).toBe(200);
    // The form posts back to the location's link, so the answer knows where it was given.
    expect(page.body).toMatch(new RegExp(`action="/s/${token}\\?lang=nl(&|&amp;)v=${v}"`));
    const saved = await visit(`/s/${token}?lang=nl&v=${v}`, 'score=10');
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/s/${token}/thanks?lang=nl&v=${v}`);
    expect(await locationOf({ surveyId: survey.id })).toEqual([[v, 10]]);

    // Another organisation's location, or no id at all, is no location — and no error.
    const other = await buildOrganisation(t, 'Andere Garage');
    const foreign = (
      await other.request({ method: 'POST', url: '/api/v1/locations', payload: { name: 'Elders' } })
    ).json<{ id: string }>().id;
    cookie = '';
    const stranger = await visit(`/s/${token}?lang=nl&v=${foreign}`, 'score=3');
    expect(stranger.statusCode).toBe(303);
    cookie = '';
    expect((await visit(`/s/${token}?lang=nl&v=nonsense`, 'score=4')).statusCode).toBe(303);
    expect((await locationOf({ surveyId: survey.id })).sort()).toEqual(
      [
        [v, 10],
        [null, 3],
        [null, 4],
      ].sort(),
    );
  });

  it("prints a location's own QR code and poster, never another organisation's", async () => {
    const survey = await buildSurvey(t.db.kysely, org);
    const v = locations.Drachten ?? '';
    const poster = await owner.request({
      url: `/api/v1/surveys/${survey.id}/poster?locationId=${v}`,
    });
    expect(poster.statusCode, poster.body).toBe(200);
    expect(poster.body).toContain(`/s/${survey.anonymous_token}?v=${v}`);
    const svg = await owner.request({ url: `/api/v1/surveys/${survey.id}/qr.svg?locationId=${v}` });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    const plain = await owner.request({ url: `/api/v1/surveys/${survey.id}/qr.svg` });
    expect(svg.body).not.toBe(plain.body);

    const other = await buildOrganisation(t, 'Garage Elders');
    const foreign = (
      await other.request({ method: 'POST', url: '/api/v1/locations', payload: { name: 'Elders' } })
    ).json<{ id: string }>().id;
    const refused = await owner.request({
      url: `/api/v1/surveys/${survey.id}/qr.svg?locationId=${foreign}`,
    });
    expect(refused.statusCode).toBe(404);
  });

  it('breaks the NPS down per location with shrinkage and the funnel', async () => {
    const garage = await buildOrganisation(t, 'Garage Uitsplitsing');
    const id = garage.organisationId;
    const add = async (name: string) =>
      (await garage.request({ method: 'POST', url: '/api/v1/locations', payload: { name } })).json<{
        id: string;
      }>().id;
    const noord = await add('Noord');
    const zuid = await add('Zuid');
    const klein = await add('Klein');
    const survey = await buildSurvey(t.db.kysely, id);
    const ref = { organisationId: id, surveyId: survey.id };
    // Noord: 100 answers at NPS 60; Zuid: 100 at NPS −20; Klein: 2 promoters; 5 without location.
    const plan: Array<[string | null, number, number, number]> = [
      [noord, 70, 20, 10],
      [zuid, 30, 20, 50],
      [klein, 2, 0, 0],
      [null, 5, 0, 0],
    ];
    let k = 0;
    for (const [location, p, o, d] of plan) {
      for (const score of [
        ...new Array<number>(p).fill(10),
        ...new Array<number>(o).fill(7),
        ...new Array<number>(d).fill(2),
      ]) {
        await buildResponse(t.db.kysely, ref, {
          score,
          location_id: location,
          answered_at: t.clock.now - 2 * DAY + k++,
        });
      }
    }
    const res = await garage.request({
      url: '/api/v1/results/breakdown?dimension=location&from=2026-10-01&to=2026-11-02',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      dimension: string;
      groups: Array<Group & { funnel: string | null }>;
      funnel: unknown[];
    }>();
    expect(body.dimension).toBe('location');
    const byLabel = new Map(body.groups.map((g) => [g.label, g]));
    expect(byLabel.get('Noord')).toMatchObject({ n: 100, nps: 60, belowMinimum: false });
    expect(byLabel.get('Zuid')).toMatchObject({ n: 100, nps: -20, belowMinimum: false });
    expect(byLabel.get('Noord')?.funnel).toMatch(/above/);
    expect(byLabel.get('Zuid')?.funnel).toMatch(/below/);
    const small = byLabel.get('Klein');
    expect(small).toMatchObject({ n: 2, nps: 100, belowMinimum: true });
    expect(small?.shrunk?.estimate).toBeLessThan(100);
    // Answers without a location form their own group ('' key, no label).
    expect(byLabel.get(null)).toMatchObject({ key: '', n: 5 });
    expect(body.funnel.length).toBeGreaterThan(5);
  });
});
