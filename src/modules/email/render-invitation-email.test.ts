import { describe, expect, it } from 'vitest';
import { surveySettingsSchema, surveyTexts } from '../surveys/survey-settings.ts';
import { renderInvitationEmail, type InvitationEmailInput } from './render-invitation-email.ts';

const input = (over: Partial<InvitationEmailInput> = {}): InvitationEmailInput => ({
  locale: 'nl',
  organisationName: 'Garage De Vries',
  texts: surveyTexts(surveySettingsSchema.parse({}), 'nl'),
  contactName: 'Jan',
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
    expect(email.html).toContain('Hoe waarschijnlijk is het dat je Garage De Vries aanbeveelt');
    expect(email.html.match(/<td [^>]*bgcolor="#1f6f5c"/g)).toHaveLength(11);
    expect(email.text.match(/^\d+: https:\/\/x\.nl\/r\/tok\?score=\d+$/gm)).toHaveLength(11);
  });

  it('escapes customised texts and names, so they cannot inject markup', () => {
    const texts = { ...input().texts, question: 'Beveel je <b>ons</b> aan & waarom?' };
    const email = renderInvitationEmail(
      input({ texts, contactName: '<script>x</script>', organisationName: 'A "B" & C' }),
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
