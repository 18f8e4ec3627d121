import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { describeEachDialect } from '../support/databases.ts';
import {
  buildMember,
  buildOrganisation,
  startTestApp,
  type Client,
  type TestApp,
} from '../support/harness.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

interface Preview {
  subject: string | null;
  html: string;
}

describeEachDialect('the survey editor’s live preview and test mail', (dialect) => {
  let smtp: TestSmtpServer;
  let t: TestApp;
  let owner: Client;
  let surveyId: string;
  const unsaved = {
    texts: {
      nl: {
        emailIntro: '{voornaam}, hoe was uw laatste bezoek aan {bedrijf}?',
        thanksPassive: 'Dank voor uw eerlijkheid, {voornaam}.',
      },
    },
    askEmployee: true,
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp(dialect, { SMTP_URL: smtp.url, PUBLIC_URL: 'https://nps.example.nl' });
    owner = await buildOrganisation(t, 'Garage De Vries');
    const res = await owner.request({
      method: 'POST',
      url: '/api/v1/surveys',
      payload: { name: 'NPS' },
    });
    surveyId = res.json<{ id: string }>().id;
  });
  afterAll(async () => {
    closeMailTransports();
    await t.close();
    await smtp.close();
  });

  const preview = async (payload: Record<string, unknown>, client = owner) => {
    const res = await client.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/preview`,
      payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Preview>();
  };

  it('shows the email with the unsaved texts, a sample first name and links that lead nowhere', async () => {
    const email = await preview({ locale: 'nl', view: 'email', settings: unsaved });
    expect(email.subject).toBe('Eén vraag van Garage De Vries');
    expect(email.html).toContain('Beste Ingrid,');
    expect(email.html).toContain('Ingrid, hoe was uw laatste bezoek aan Garage De Vries?');
    expect(email.html.match(/href="#"/g)).toHaveLength(12);
    expect(email.html).not.toMatch(/\/r\/|\/u\//);
    const reminder = await preview({ locale: 'en', view: 'reminder' });
    expect(reminder.subject).toBe('Reminder: One question from Garage De Vries');
    expect(reminder.html).toContain('Dear Emma,');
  });

  it('shows the response page with the follow-up of each category', async () => {
    const promoter = await preview({
      locale: 'nl',
      view: 'form',
      category: 'promoter',
      settings: unsaved,
    });
    expect(promoter.html).toContain(
      'Wat is de belangrijkste reden dat u Garage De Vries aanbeveelt?',
    );
    expect(promoter.html).toMatch(/id="score-9" value="9"[^>]* checked/);
    expect(promoter.html).toContain('Hoe tevreden bent u over Sanne?');
    expect(promoter.html).toContain('action="#"');
    const passive = await preview({ locale: 'nl', view: 'form', category: 'passive' });
    expect(passive.html).toContain(
      'Wat moet Garage De Vries veranderen zodat u een hoger cijfer geeft?',
    );
    expect(passive.html).toMatch(/id="score-7" value="7"[^>]* checked/);
    expect(passive.html).not.toContain('Hoe tevreden bent u over');
    const detractor = await preview({ locale: 'nl', view: 'form', category: 'detractor' });
    expect(detractor.html).toMatch(/id="score-3" value="3"[^>]* checked/);
  });

  it('shows the thank-you page of each category', async () => {
    const passive = await preview({
      locale: 'nl',
      view: 'thanks',
      category: 'passive',
      settings: unsaved,
    });
    expect(passive.html).toContain('Dank voor uw eerlijkheid, Ingrid.');
    const detractor = await preview({ locale: 'nl', view: 'thanks', category: 'detractor' });
    expect(detractor.html).toContain(
      'Hartelijk dank voor uw eerlijke antwoord. We nemen het serieus.',
    );
  });

  it('stores nothing, and lets a viewer look but not mail', async () => {
    const survey = await owner.request({ url: `/api/v1/surveys/${surveyId}` });
    expect(survey.json<{ settings: { texts: { nl: object } } }>().settings.texts.nl).toEqual({});
    const viewer = await buildMember(t, owner.organisationId, 'viewer');
    await preview({ locale: 'nl', view: 'email' }, viewer);
    const mail = await viewer.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/test-mail`,
      payload: { locale: 'nl' },
    });
    expect(mail.statusCode).toBe(403);
    const bad = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/preview`,
      payload: { locale: 'de', view: 'poster' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('sends the email as it stands to me, marked as a test, with links into the admin app', async () => {
    const res = await owner.request({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/test-mail`,
      payload: { locale: 'nl', settings: unsaved },
    });
    expect(res.json()).toMatchObject({ ok: true, source: 'installation' });
    await smtp.waitFor(1);
    const mail = smtp.received.at(-1);
    expect(mail?.subject).toBe('[Test] Eén vraag van Garage De Vries');
    expect(mail?.text()).toContain('Ingrid, hoe was uw laatste bezoek aan Garage De Vries?');
    expect(mail?.html()).toContain(`href="https://nps.example.nl/admin/surveys/${surveyId}"`);
    expect(mail?.html()).not.toMatch(/\/r\/|\/u\//);
  });
});
