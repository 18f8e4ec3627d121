import { describe, expect, it } from 'vitest';
import { surveySettingsSchema, surveyTexts } from '../surveys/survey-settings.ts';
import { renderInvitationEmail, type InvitationEmailInput } from './render-invitation-email.ts';

const input = (over: Partial<InvitationEmailInput> = {}): InvitationEmailInput => ({
  locale: 'nl',
  formality: 'u',
  organisationName: 'Garage De Vries',
  texts: surveyTexts(surveySettingsSchema.parse({}), 'nl', 'u'),
  greeting: { kind: 'firstName', name: 'Ingrid' },
  firstName: 'Ingrid',
  brandColor: '#1f6f5c',
  logoUrl: null,
  scoreUrl: (n) => `https://x.nl/r/tok?score=${n}`,
  unsubscribeUrl: 'https://x.nl/u/tok',
  reminder: false,
  ...over,
});

describe('invitation email rendering', () => {
  it('puts the organisation in the question and eleven score buttons in a table', () => {
    const email = renderInvitationEmail(input());
    expect(email.subject).toBe('Eén vraag van Garage De Vries');
    expect(email.html).toContain('Hoe waarschijnlijk is het dat u Garage De Vries aanbeveelt');
    expect(email.html.match(/<td [^>]*bgcolor="#1f6f5c"/g)).toHaveLength(11);
    expect(email.text.match(/^\d+: https:\/\/x\.nl\/r\/tok\?score=\d+$/gm)).toHaveLength(11);
  });

  it('greets by first name or imported salutation, never by the full name', () => {
    expect(renderInvitationEmail(input()).text).toMatch(/^Beste Ingrid,\n/);
    const formal = renderInvitationEmail(
      input({ greeting: { kind: 'salutation', text: 'Geachte heer Jansen' } }),
    );
    expect(formal.text).toMatch(/^Geachte heer Jansen,\n/);
    expect(renderInvitationEmail(input({ greeting: { kind: 'anonymous' } })).text).toMatch(
      /^Beste klant,\n/,
    );
    const je = renderInvitationEmail(input({ formality: 'je', greeting: { kind: 'anonymous' } }));
    expect(je.text).toMatch(/^Hallo,\n/);
    const en = renderInvitationEmail(
      input({ locale: 'en', texts: surveyTexts(surveySettingsSchema.parse({}), 'en') }),
    );
    expect(en.text).toMatch(/^Dear Ingrid,\n/);
  });

  it('speaks in the organisation’s voice: "u" by default, "je" when chosen', () => {
    const u = renderInvitationEmail(input());
    expect(u.text).toContain('Klik op het cijfer dat bij u past:');
    expect(u.text).toContain('U krijgt deze e-mail omdat u klant bent van Garage De Vries.');
    const je = renderInvitationEmail(
      input({
        formality: 'je',
        texts: surveyTexts(surveySettingsSchema.parse({}), 'nl', 'je'),
      }),
    );
    expect(je.text).toContain('Hoe waarschijnlijk is het dat je Garage De Vries aanbeveelt');
    expect(je.text).toContain('Klik op het cijfer dat bij je past:');
    expect(je.text.replace(/https?:\S+/g, '')).not.toMatch(/\b(u|uw|U|Uw)\b/);
  });

  it('fills {firstName} in a custom text, and reads well without one', () => {
    const texts = { ...input().texts, emailIntro: '{firstName}, hoe was uw laatste bezoek?' };
    expect(renderInvitationEmail(input({ texts })).text).toContain(
      'Ingrid, hoe was uw laatste bezoek?',
    );
    expect(renderInvitationEmail(input({ texts, firstName: null })).text).toContain(
      '\nHoe was uw laatste bezoek?\n',
    );
  });

  it('escapes customised texts and names, so they cannot inject markup', () => {
    const texts = { ...input().texts, question: 'Beveel je <b>ons</b> aan & waarom?' };
    const email = renderInvitationEmail(
      input({
        texts,
        greeting: { kind: 'firstName', name: '<script>x</script>' },
        organisationName: 'A "B" & C',
      }),
    );
    expect(email.html).toContain('Beveel je &lt;b&gt;ons&lt;/b&gt; aan &amp; waarom?');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('A &quot;B&quot; &amp; C');
  });

  it('prefixes a reminder and replaces the introduction', () => {
    const en = renderInvitationEmail(
      input({
        locale: 'en',
        texts: surveyTexts(surveySettingsSchema.parse({}), 'en'),
        reminder: true,
      }),
    );
    expect(en.subject).toBe('Reminder: One question from Garage De Vries');
    expect(en.text).toContain('A few days ago we asked for your opinion.');
  });

  it('stays well under 30 KB', () => {
    expect(Buffer.byteLength(renderInvitationEmail(input()).html)).toBeLessThan(15_000);
  });
});
