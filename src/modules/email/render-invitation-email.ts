import type { Locale } from '../../db/schema.ts';
import type { Formality, Greeting } from '../../domain/greeting/greeting.ts';
import { fillText } from '../../domain/placeholders/fill-text.ts';
import { customerT, type CustomerT } from '../../i18n/messages.ts';
import { escapeHtml } from '../public-pages/html.ts';

/**
 * The survey texts the email shows, with their placeholders (a survey's `SurveyTexts` has these and
 * more: the surveys module owns them, the email module only renders them).
 */
export interface InvitationEmailTexts {
  emailSubject: string;
  emailIntro: string;
  question: string;
}

/** Everything the invitation email shows; the caller resolves texts, links and branding. */
export interface InvitationEmailInput {
  locale: Locale;
  /** The organisation's voice for the Dutch texts: "u" or "je". */
  formality: Formality;
  organisationName: string;
  /** The survey's effective texts in the contact's language (`surveyTexts`). */
  texts: InvitationEmailTexts;
  /** How the email opens: salutation, first name, or no name (`chooseGreeting`). */
  greeting: Greeting;
  /** Fills `{firstName}` in the texts; null leaves it out. */
  firstName: string | null;
  /** Fills `{employee}` (the customer's account manager), else the organisation's name. */
  employeeName?: string | null;
  /** Six-digit hex colour of the buttons; white text must read on it. */
  brandColor: string;
  logoUrl: string | null;
  /** `${PUBLIC_URL}/r/<token>?score=N`: a GET that records nothing (part B's response page). */
  scoreUrl: (score: number) => string;
  unsubscribeUrl: string;
  reminder: boolean;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const FONT = 'Arial, Helvetica, sans-serif';
const SCORES = Array.from({ length: 11 }, (_, i) => i);

/**
 * Renders the NPS invitation (or its reminder) as subject, plain text and HTML.
 *
 * Why it looks like 2005: Outlook renders HTML with Word, Gmail strips `<style>` blocks in many
 * views and no mail client runs JavaScript. So the layout is nested tables, every style is inline,
 * and each of the eleven score buttons is a `<td bgcolor>` holding an `<a>` with its own padding
 * ("bulletproof" buttons), which shows the same in Gmail, Outlook and Apple Mail. The text part
 * carries the same eleven links for clients that show no HTML. The email is research, not marketing
 * (PRODUCT.md): it holds no reward, offer or review request.
 */
/** The opening line: the salutation or first name as given, else a greeting without a name. */
export function greetingText(t: CustomerT, greeting: Greeting): string {
  switch (greeting.kind) {
    case 'salutation':
      return t('email.greeting_salutation', { salutation: greeting.text });
    case 'firstName':
      return t('email.greeting_first_name', { name: greeting.name });
    case 'anonymous':
      return t('email.greeting_anonymous');
  }
}

export function renderInvitationEmail(input: InvitationEmailInput): RenderedEmail {
  const { locale, texts } = input;
  const t = customerT(locale, input.formality);
  const fill = (s: string) =>
    fillText(s, {
      organisation: input.organisationName,
      employee: input.employeeName ?? null,
      firstName: input.firstName,
    });
  const baseSubject = fill(texts.emailSubject);
  const subject = input.reminder
    ? t('email.reminder_subject', { subject: baseSubject })
    : baseSubject;
  const greeting = greetingText(t, input.greeting);
  const intro = input.reminder ? t('email.reminder_intro') : fill(texts.emailIntro);
  const question = fill(texts.question);
  const low = t('email.scale_low');
  const high = t('email.scale_high');
  const footer = t('email.footer', { organisation: input.organisationName });
  const unsubscribe = t('email.unsubscribe');

  const text = [
    greeting,
    '',
    intro,
    '',
    question,
    '',
    t('email.text_choose'),
    ...SCORES.map((n) => `${n}: ${input.scoreUrl(n)}`),
    '',
    `${low}, ${high}`,
    '',
    '--',
    footer,
    `${unsubscribe}: ${input.unsubscribeUrl}`,
    '',
  ].join('\n');

  const color = escapeHtml(input.brandColor);
  const cell = `font-family:${FONT};color:#222222;`;
  const buttons = SCORES.map(
    (n) =>
      `<td align="center" valign="middle" width="8%" bgcolor="${color}" style="background-color:${color};border-radius:4px;">` +
      `<a href="${escapeHtml(input.scoreUrl(n))}" title="${escapeHtml(t('email.score_title', { score: n }))}" target="_blank" ` +
      `style="display:block;padding:12px 0;font-family:${FONT};font-size:17px;font-weight:bold;line-height:20px;color:#ffffff;text-decoration:none;text-align:center;">${n}</a></td>`,
  ).join('<td width="1%" style="font-size:0;line-height:0;">&nbsp;</td>');

  const logo = input.logoUrl
    ? `<tr><td style="padding:24px 24px 0;"><img src="${escapeHtml(input.logoUrl)}" alt="${escapeHtml(input.organisationName)}" height="40" style="display:block;height:40px;border:0;"></td></tr>`
    : '';

  const html = `<!DOCTYPE html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="x-apple-disable-message-reformatting"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background-color:#f4f4f4;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f4f4f4" style="background-color:#f4f4f4;"><tr><td align="center" style="padding:24px 8px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width:100%;max-width:600px;background-color:#ffffff;border-radius:6px;">
${logo}<tr><td style="padding:24px 24px 8px;${cell}font-size:16px;line-height:24px;">${escapeHtml(greeting)}</td></tr>
<tr><td style="padding:0 24px 16px;${cell}font-size:16px;line-height:24px;">${escapeHtml(intro)}</td></tr>
<tr><td style="padding:0 24px 16px;${cell}font-size:18px;line-height:26px;font-weight:bold;">${escapeHtml(question)}</td></tr>
<tr><td style="padding:0 16px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>${buttons}</tr></table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td align="left" valign="top" style="padding:8px 0 0;font-family:${FONT};font-size:13px;line-height:18px;color:#555555;">${escapeHtml(low)}</td>
<td align="right" valign="top" style="padding:8px 0 0;font-family:${FONT};font-size:13px;line-height:18px;color:#555555;">${escapeHtml(high)}</td>
</tr></table>
</td></tr>
<tr><td style="padding:32px 24px 24px;font-family:${FONT};font-size:12px;line-height:18px;color:#777777;">${escapeHtml(footer)}<br><a href="${escapeHtml(input.unsubscribeUrl)}" target="_blank" style="color:#555555;text-decoration:underline;">${escapeHtml(unsubscribe)}</a></td></tr>
</table>
</td></tr></table>
</body></html>
`;
  return { subject, text, html };
}
