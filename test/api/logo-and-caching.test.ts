import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

/**
 * Finding 13 of the probe (issue 7), two of its parts: a survey's logo address accepted
 * `javascript:` (it is put in emails and on public pages), and JSON API answers, full of customers'
 * data, carried no `Cache-Control`, so a browser or a proxy could keep them.
 */
describeEachDialect('logo addresses and API caching', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let surveyId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    owner = await buildOrganisation(t);
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS' },
    });
    surveyId = res.json<{ id: string }>().id;
  });
  afterAll(async () => t.close());

  const setSurveyLogo = (logoUrl: string) =>
    owner.request({
      method: 'PATCH',
      url: `/api/v1/surveys/${surveyId}`,
      payload: { settings: { logoUrl } },
    });

  it('takes only https: logo addresses (and http: on this machine)', async () => {
    for (const bad of [
      'javascript:alert(document.cookie)',
      'JaVaScRiPt:alert(1)',
      'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
      'http://garage.example/logo.png',
      'ftp://garage.example/logo.png',
      'logo.png',
    ]) {
      const res = await setSurveyLogo(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json()).toMatchObject({
        error: {
          code: 'validation_failed',
          fields: [
            {
              field: 'settings.logoUrl',
              problem: 'https_only',
              message: 'Adres van het logo moet een https://-adres van een afbeelding zijn',
            },
          ],
        },
      });
    }
    for (const good of ['https://cdn.garage.example/logo.png', 'http://localhost:3000/logo.png']) {
      expect((await setSurveyLogo(good)).statusCode, good).toBe(200);
    }
    const org = await owner.request({
      method: 'PATCH',
      url: '/api/v1/organisation',
      payload: { settings: { logoUrl: 'javascript:alert(1)' } },
    });
    expect(org.statusCode).toBe(400);
  });

  it('marks JSON API answers, errors included, as not to be stored', async () => {
    const me = await owner.request({ url: '/api/v1/auth/me' });
    expect(me.headers['cache-control']).toBe('no-store');
    const contacts = await owner.request({ url: '/api/v1/contacts' });
    expect(contacts.headers['cache-control']).toBe('no-store');
    const anonymous = await t.app.inject({ url: '/api/v1/contacts' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['cache-control']).toBe('no-store');
  });
});
