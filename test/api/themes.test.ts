import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildEmployee, buildResponse, buildSurvey } from '../support/factories.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';

const DAY = 86_400_000;

interface Report {
  analysed: number;
  defaults: boolean;
  themes: Array<{
    key: string;
    count: number;
    nps: number | null;
    interval: { low: number; high: number } | null;
    positive: number;
    negative: number;
    quotes: Array<{ comment: string; sentiment: string }>;
  }>;
  suggestions: Array<{ term: string; example: string; detractors: number; promoters: number }>;
}

/**
 * Comment themes through the API (issue 10): counted per theme with the NPS of those answers,
 * sentiment with negation, quotes, suggestions from detractors' words, the organisation's own
 * dictionary, an account manager's own customers only, and nothing of another organisation.
 */
describeEachDialect('insight: comment themes', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let orgId: string;
  let sanne: string;
  const now = Date.UTC(2026, 10, 1, 9, 0, 0);

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t, 'Garage Thema');
    orgId = owner.organisationId;
    sanne = (await buildEmployee(t.db.kysely, orgId, { name: 'Sanne de Boer' })).id;
    const survey = await buildSurvey(t.db.kysely, orgId);
    const ref = { organisationId: orgId, surveyId: survey.id };
    const comments: Array<[string, number, 'nl' | 'en', string | null]> = [
      ['De monteur was erg vriendelijk', 10, 'nl', sanne],
      ['Vriendelijk personeel en snel klaar', 9, 'nl', sanne],
      ['Het personeel was niet vriendelijk', 3, 'nl', null],
      ['Staff were not friendly at all', 2, 'en', null],
      ['Veel te duur', 4, 'nl', null],
      ['De factuur klopte niet', 5, 'nl', null],
      ...Array.from({ length: 6 }, (): [string, number, 'nl', null] => [
        'Parkeren was een drama',
        2,
        'nl',
        null,
      ]),
      ...Array.from({ length: 8 }, (): [string, number, 'nl', null] => [
        'Goed geholpen, prima',
        10,
        'nl',
        null,
      ]),
    ];
    let i = 0;
    for (const [comment, score, locale, owner_employee_id] of comments) {
      await buildResponse(t.db.kysely, ref, {
        score,
        comment,
        locale,
        owner_employee_id,
        answered_at: now - (1 + i++) * DAY,
      });
    }
  });
  afterAll(async () => t.close());

  it('counts themes with their NPS, sentiment with negation, quotes and suggestions', async () => {
    const res = await owner.request({ url: '/api/v1/results/themes' });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<Report>();
    expect(report.analysed).toBe(20);
    expect(report.defaults).toBe(true);
    const staff = report.themes.find((th) => th.key === 'staff');
    expect(staff).toMatchObject({ count: 4, nps: 0, positive: 2, negative: 2 });
    expect(staff?.interval?.low).toBeLessThan(0);
    const notFriendly = staff?.quotes.filter((q) =>
      /niet vriendelijk|not friendly/.test(q.comment),
    );
    expect(notFriendly?.length).toBeGreaterThan(0);
    expect(notFriendly?.every((q) => q.sentiment === 'negative')).toBe(true);
    expect(report.themes.find((th) => th.key === 'price')).toMatchObject({ count: 1, nps: -100 });
    expect(report.themes.find((th) => th.key === 'invoice')).toMatchObject({
      count: 1,
      negative: 1,
    });
    expect(report.suggestions[0]).toMatchObject({ detractors: 6, promoters: 0 });
    expect(report.suggestions[0]?.example).toMatch(/^(parkeren|drama|parkeren was|was een)/);
  });

  it('uses the organisation’s own dictionary once it has one', async () => {
    const patched = await owner.request({
      method: 'PATCH',
      url: '/api/v1/organisation',
      payload: {
        settings: {
          themes: [
            { key: 'parking', label: { nl: 'Parkeren', en: 'Parking' }, terms: ['parkeren'] },
            { key: 'staff', label: { nl: 'Personeel', en: 'Staff' }, terms: ['vriendelijk'] },
          ],
        },
      },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    try {
      const report = (await owner.request({ url: '/api/v1/results/themes' })).json<Report>();
      expect(report.defaults).toBe(false);
      expect(report.themes.map((th) => [th.key, th.count])).toEqual([
        ['parking', 6],
        ['staff', 3],
      ]);
      const bad = await owner.request({
        method: 'PATCH',
        url: '/api/v1/organisation',
        payload: { settings: { themes: [{ key: 'Met Spaties', label: { nl: 'x' }, terms: [] }] } },
      });
      expect(bad.statusCode).toBe(400);
    } finally {
      await owner.request({
        method: 'PATCH',
        url: '/api/v1/organisation',
        payload: { settings: { themes: null } },
      });
    }
  });

  it('shows an account manager only their customers’ comments, and another organisation none', async () => {
    const am = await buildMember(t, orgId, 'account_manager', sanne);
    const own = (await am.request({ url: '/api/v1/results/themes' })).json<Report>();
    expect(own.analysed).toBe(2);
    const other = await buildOrganisation(t, 'Andere Garage');
    const theirs = (await other.request({ url: '/api/v1/results/themes' })).json<Report>();
    expect(theirs.analysed).toBe(0);
    expect(JSON.stringify(theirs)).not.toContain('De monteur was erg vriendelijk');
  });
});
