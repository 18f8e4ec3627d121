import QRCode from 'qrcode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildSurvey } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

describeEachDialect('the QR code and poster of the anonymous link', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let survey: Awaited<ReturnType<typeof buildSurvey>>;

  beforeAll(async () => {
    t = await startTestApp(dialect, { PUBLIC_URL: 'https://nps.garagedevries.nl' });
    owner = await buildOrganisation(t, 'Garage De Vries');
    survey = await buildSurvey(t.db.kysely, owner.organisationId);
  });
  afterAll(async () => t.close());

  it('encodes the public anonymous link in an SVG', async () => {
    const res = await owner.request({ url: `/api/v1/surveys/${survey.id}/qr.svg` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('image/svg+xml');
    const expected = await QRCode.toString(
      `https://nps.garagedevries.nl/s/${survey.anonymous_token}`,
      { type: 'svg', errorCorrectionLevel: 'M', margin: 2 },
    );
    expect(res.body).toBe(expected);
  });

  it('prints a poster in Dutch or English with the link spelled out', async () => {
    const nl = await owner.request({ url: `/api/v1/surveys/${survey.id}/poster` });
    expect(nl.statusCode).toBe(200);
    expect(nl.body).toContain('<html lang="nl">');
    expect(nl.body).toContain('Uw mening telt');
    expect(nl.body).toContain(`https://nps.garagedevries.nl/s/${survey.anonymous_token}`);
    expect(nl.body).toContain('<svg');
    const en = await owner.request({ url: `/api/v1/surveys/${survey.id}/poster?lang=en` });
    expect(en.body).toContain('Your opinion counts');
  });

  it('gives a draft no QR code or poster: its link would only say "closed"', async () => {
    const draft = await buildSurvey(t.db.kysely, owner.organisationId, { status: 'draft' });
    for (const url of [
      `/api/v1/surveys/${draft.id}/qr.svg`,
      `/api/v1/surveys/${draft.id}/poster`,
    ]) {
      const res = await owner.request({ url });
      expect(res.statusCode).toBe(409);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('survey_not_active');
      expect(res.body).not.toContain(draft.anonymous_token);
    }
  });

  it('shows another organisation nothing', async () => {
    const other = await buildOrganisation(t, 'Concurrent BV');
    for (const url of [
      `/api/v1/surveys/${survey.id}/qr.svg`,
      `/api/v1/surveys/${survey.id}/poster`,
    ]) {
      const res = await other.request({ url });
      expect(res.statusCode).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('not_found');
      expect(res.body).not.toContain(survey.anonymous_token);
    }
    expect((await t.app.inject({ url: `/api/v1/surveys/${survey.id}/qr.svg` })).statusCode).toBe(
      401,
    );
  });
});
