import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { buildContact, buildInvitation } from '../support/factories.ts';
import { buildOrganisation, startTestApp, type Client, type TestApp } from '../support/harness.ts';

const DAY = 86_400_000;

interface SurveyJson {
  id: string;
  settings: { texts: { nl: Record<string, string> } };
  texts: { nl: Record<string, string> };
}

describeEachDialect('the organisation’s voice ("u" or "je") and placeholders', (dialect) => {
  let t: TestApp;
  let owner: Client;
  let survey: SurveyJson;

  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  // Each test changes the voice or the texts of an organisation of its own.
  beforeEach(async () => {
    owner = await buildOrganisation(t, 'Garage De Vries');
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS', status: 'active' },
    });
    survey = res.json<SurveyJson>();
  });
  afterAll(async () => t.close());

  async function pages() {
    const contact = await buildContact(t.db.kysely, owner.organisationId, {
      first_name: 'Ingrid',
    });
    const invitation = await buildInvitation(
      t.db.kysely,
      { organisationId: owner.organisationId, surveyId: survey.id, contactId: contact.id },
      { planned_at: t.clock.now - DAY, sent_at: t.clock.now - DAY, expires_at: t.clock.now + DAY },
    );
    const form = await t.app.inject({ url: `/r/${invitation.token}?score=10` });
    const unsubscribe = await t.app.inject({ url: `/u/${invitation.token}` });
    await t.app.inject({ method: 'POST', url: `/r/${invitation.token}`, payload: { score: 10 } });
    const thanks = await t.app.inject({ url: `/r/${invitation.token}/thanks` });
    return { form: form.body, unsubscribe: unsubscribe.body, thanks: thanks.body };
  }

  it('says "u" by default on every page a customer sees', async () => {
    expect(survey.texts.nl.question).toContain('dat u {organisation} aanbeveelt');
    const p = await pages();
    expect(p.form).toContain('Hoe waarschijnlijk is het dat u Garage De Vries aanbeveelt');
    expect(p.form).toContain('Uw score is opgeslagen.');
    expect(p.unsubscribe).toContain('Wilt u geen e-mails meer ontvangen');
    expect(p.thanks).toContain('Hartelijk dank! Fijn dat u Garage De Vries zou aanbevelen.');
  });

  it('says "je" everywhere once the organisation chooses it', async () => {
    const res = await owner.request({
      method: 'PATCH',
      url: '/api/v1/organisation',
      payload: { settings: { formality: 'je' } },
    });
    expect(res.statusCode).toBe(200);
    const again = await owner.request({ url: `/api/v1/surveys/${survey.id}` });
    expect(again.json<SurveyJson>().texts.nl.question).toContain('dat je {organisation}');
    const p = await pages();
    expect(p.form).toContain('Hoe waarschijnlijk is het dat je Garage De Vries aanbeveelt');
    expect(p.form).toContain('Je score is opgeslagen.');
    expect(p.unsubscribe).toContain('Wil je geen e-mails meer ontvangen');
    expect(p.thanks).toContain('Dank je wel! Fijn dat je Garage De Vries zou aanbevelen.');
    for (const body of Object.values(p)) {
      const text = body.replace(/<[^>]+>/g, ' ');
      expect(text).not.toMatch(/\b(u|uw)\b/);
    }
  });

  it('does not let an owner mark a real organisation as the demo', async () => {
    const res = await owner.request({
      method: 'PATCH',
      url: '/api/v1/organisation',
      payload: { settings: { demo: true } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { fields: { field: string }[] } }>().error.fields[0]?.field).toBe(
      'settings.demo',
    );
  });

  it('stores Dutch and English placeholder names canonically and fills the first name', async () => {
    const res = await owner.request({
      method: 'PATCH',
      url: `/api/v1/surveys/${survey.id}`,
      payload: {
        settings: {
          texts: {
            nl: {
              promoterFollowUp: '{Voornaam}, wat maakt {bedrijf} voor je de moeite waard?',
              thanksPromoter: 'Bedankt namens {company}!',
            },
          },
        },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<SurveyJson>().settings.texts.nl).toEqual({
      promoterFollowUp: '{firstName}, wat maakt {organisation} voor je de moeite waard?',
      thanksPromoter: 'Bedankt namens {organisation}!',
    });
    const p = await pages();
    expect(p.form).toContain('Ingrid, wat maakt Garage De Vries voor je de moeite waard?');
    expect(p.thanks).toContain('Bedankt namens Garage De Vries!');
  });
});
