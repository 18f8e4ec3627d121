import fc from 'fast-check';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { parseMail } from '../../../test/support/smtp-server.ts';
import { surveySettingsSchema, surveyTexts } from '../surveys/survey-settings.ts';
import { composeMimeMessage, type MailToCompose } from './compose-mime.ts';
import { fromHeader } from './mail-transport.ts';
import { renderInvitationEmail } from './render-invitation-email.ts';

const TOKEN = 'Qx7-kF2_pLm9ZrT4vWb8nC1dE6gH3jK5sY0aU-oIeRw';
const DATE = new Date(Date.UTC(2026, 11, 2, 7, 30, 5));

/** An invitation as the invitations path hands it over (render, then the stored row's fields). */
function invitation(over: Partial<MailToCompose> = {}): MailToCompose {
  const rendered = renderInvitationEmail({
    locale: 'nl',
    formality: 'u',
    organisationName: 'Garage Één & Zn.',
    texts: surveyTexts(surveySettingsSchema.parse({}), 'nl', 'u'),
    greeting: { kind: 'firstName', name: 'Ingrid' },
    firstName: 'Ingrid',
    brandColor: '#1f6f5c',
    logoUrl: null,
    scoreUrl: (n) => `https://nps.example.nl/r/${TOKEN}?score=${n}`,
    unsubscribeUrl: `https://nps.example.nl/u/${TOKEN}`,
    reminder: false,
  });
  return {
    from: fromHeader('Garage Één & Zn.', 'noreply@loyaal.test'),
    to: 'ingrid@example.nl',
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: '<0193a5e2-7c41-7d3e-9a55-3f1c2b8e4d01@nps.example.nl>',
    headers: {
      'Reply-To': 'service@garage-een.nl',
      'List-Unsubscribe': `<https://nps.example.nl/u/${TOKEN}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    ...over,
  };
}

const compose = (mail: MailToCompose) => composeMimeMessage(mail, DATE).toString('utf8');

/**
 * The message nodemailer composes itself for the same fields, as its SMTP layer puts it on the
 * wire (every line end CRLF): what was sent until now.
 */
async function nodemailerMessage(mail: MailToCompose): Promise<string> {
  const built = await new MailComposer({
    ...mail,
    ...(mail.messageId ? { messageId: mail.messageId } : {}),
    date: DATE,
  })
    .compile()
    .build();
  return built.toString('utf8').replace(/\r\n|\r|\n/g, '\r\n');
}

/** The header block's fields as they stand (unfolded), in order, names as written. */
function fieldNames(raw: string): string[] {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
  return head
    .split('\r\n')
    .filter((line) => !/^[ \t]/.test(line))
    .map((line) => line.slice(0, line.indexOf(':')));
}

/** What a mail client shows of a message: its decoded headers and parts. */
function asRead(raw: string) {
  const mail = parseMail(raw);
  const header = (name: string) => mail.headers.get(name) ?? null;
  return {
    from: header('from'),
    to: header('to'),
    replyTo: header('reply-to'),
    subject: header('subject'),
    messageId: header('message-id'),
    date: header('date'),
    listUnsubscribe: header('list-unsubscribe'),
    listUnsubscribePost: header('list-unsubscribe-post'),
    parts: mail.parts().map((p) => ({ type: p.contentType.split(';')[0], body: p.body })),
  };
}

describe('composing a message for the wire', () => {
  it('is read by a mail client as the message nodemailer composed for the same fields', async () => {
    const mail = invitation();
    const ours = asRead(compose(mail));
    expect(ours).toEqual(asRead(await nodemailerMessage(mail)));
    expect(ours).toMatchObject({
      from: 'Garage Één & Zn. <noreply@loyaal.test>',
      to: 'ingrid@example.nl',
      replyTo: 'service@garage-een.nl',
      subject: 'Eén vraag van Garage Één & Zn.',
      messageId: '<0193a5e2-7c41-7d3e-9a55-3f1c2b8e4d01@nps.example.nl>',
      date: 'Wed, 02 Dec 2026 07:30:05 +0000',
      listUnsubscribe: `<https://nps.example.nl/u/${TOKEN}>`,
      listUnsubscribePost: 'List-Unsubscribe=One-Click',
    });
    expect(ours.parts.map((p) => p.type)).toEqual(['text/plain', 'text/html']);
    expect(ours.parts[0]?.body).toBe(mail.text);
    expect(ours.parts[1]?.body).toBe(mail.html);
  });

  it('carries each header field once, MIME-Version 1.0 and a multipart/alternative body', () => {
    const raw = compose(invitation());
    const names = fieldNames(raw);
    for (const name of [
      'From',
      'To',
      'Reply-To',
      'Subject',
      'Message-ID',
      'Date',
      'List-Unsubscribe',
      'List-Unsubscribe-Post',
      'MIME-Version',
      'Content-Type',
    ]) {
      expect(
        names.filter((n) => n === name),
        name,
      ).toHaveLength(1);
    }
    expect(raw).toMatch(/\r\nMIME-Version: 1\.0\r\n/);
    const boundary = /boundary="([^"]+)"/.exec(raw)?.[1] ?? '';
    expect(raw).toMatch(/\r\nContent-Type: multipart\/alternative;\r\n boundary="/);
    // The delimiter lines: two parts and the close; the boundary appears nowhere else.
    expect(raw.split(`--${boundary}`)).toHaveLength(4);
    expect(raw.endsWith(`\r\n--${boundary}--\r\n`)).toBe(true);
  });

  it('encodes non-ASCII subjects and sender names as RFC 2047 words, ASCII ones as they are', () => {
    const raw = compose(invitation());
    expect(raw).toMatch(/\r\nSubject: =\?UTF-8\?Q\?E=C3=A9n_vraag_van_Garage_/);
    expect(raw).toMatch(
      /^From: =\?UTF-8\?Q\?Garage_=C3=89=C3=A9n_=26_Zn=2E\?= <noreply@loyaal\.test>\r\n/,
    );
    const ascii = compose(
      invitation({ from: fromHeader('Garage De Vries', 'noreply@loyaal.test'), subject: 'Hi' }),
    );
    expect(ascii).toMatch(/^From: Garage De Vries <noreply@loyaal\.test>\r\n/);
    expect(ascii).toMatch(/\r\nSubject: Hi\r\n/);
    // Staff mail names the sender with a middle dot: encoded too, and read back as written.
    const staff = compose(invitation({ from: fromHeader('Loyaal · Jan Smit', 'a@b.nl') }));
    expect(asRead(staff).from).toBe('Loyaal · Jan Smit <a@b.nl>');
    expect(fieldNames(staff)[0]).toBe('From');
    expect(staff.split('\r\n')[0]).not.toContain('·');
  });

  it('ends every line in CRLF and keeps it within 76 characters, far below the 998 limit', () => {
    const long = `https://nps.example.nl/r/${'x'.repeat(1500)}`;
    const raw = compose(
      invitation({
        subject: `Een vraag over uw bezoek aan ${'onze werkplaats in Één '.repeat(8)}`,
        text: `Klik hier: ${long}\n\nGroet`,
        html: `<p><a href="${long}">klik</a></p>`,
      }),
    );
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    const read = asRead(raw);
    expect(read.subject).toBe(
      `Een vraag over uw bezoek aan ${'onze werkplaats in Één '.repeat(8)}`,
    );
    expect(read.parts[0]?.body).toBe(`Klik hier: ${long}\n\nGroet`);
    expect(read.parts[1]?.body).toBe(`<p><a href="${long}">klik</a></p>`);
  });

  it('encodes mostly Latin text as quoted-printable and other scripts as base64', () => {
    const latin = compose(invitation());
    expect(latin.match(/Content-Transfer-Encoding: quoted-printable/g)).toHaveLength(2);
    const greek = 'Πόσο πιθανό είναι να μας προτείνετε σε έναν φίλο ή συνάδελφο;';
    const other = compose(invitation({ text: greek, html: `<p>${greek}</p>` }));
    expect(other.match(/Content-Transfer-Encoding: base64/g)).toHaveLength(2);
    expect(asRead(other).parts.map((p) => p.body)).toEqual([greek, `<p>${greek}</p>`]);
  });

  it('keeps a line break in a header value from starting a field of its own', () => {
    const raw = compose(
      invitation({
        subject: 'Vraag\r\nBcc: iedereen@example.nl',
        headers: { 'List-Unsubscribe': '<https://x.nl/u/t>\r\nX-Injected: yes' },
      }),
    );
    const names = fieldNames(raw);
    expect(names).not.toContain('Bcc');
    expect(names).not.toContain('X-Injected');
    expect(asRead(raw).subject).toBe('Vraag Bcc: iedereen@example.nl');
  });

  it('lets the message’s own fields win over custom headers of the same name', () => {
    const raw = compose(
      invitation({
        headers: {
          Subject: 'Another subject',
          Bcc: 'someone@example.nl',
          'Content-Type': 'text/plain',
          'List-Unsubscribe': '<https://x.nl/u/t>',
        },
      }),
    );
    const names = fieldNames(raw);
    expect(names.filter((n) => n.toLowerCase() === 'subject')).toHaveLength(1);
    expect(names.filter((n) => n.toLowerCase() === 'content-type')).toHaveLength(1);
    expect(names).not.toContain('Bcc');
    expect(asRead(raw).subject).toBe('Eén vraag van Garage Één & Zn.');
  });

  it('sends a message without HTML as one text/plain part', async () => {
    const mail = invitation({ html: '' });
    const raw = compose(mail);
    expect(raw).not.toContain('multipart');
    expect(asRead(raw)).toEqual(asRead(await nodemailerMessage(mail)));
    expect(asRead(raw).parts).toEqual([{ type: 'text/plain', body: mail.text }]);
  });

  it('reads back every subject, name and body as nodemailer’s own message does', async () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 300 });
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
        text,
        text,
        async (subject, name, body, html) => {
          const mail = invitation({
            subject,
            from: fromHeader(name, 'noreply@loyaal.test'),
            text: body,
            html,
          });
          const raw = compose(mail);
          for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
          expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
          expect(asRead(raw)).toEqual(asRead(await nodemailerMessage(mail)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives each message a boundary of its own', () => {
    const boundaryOf = (raw: string) => /boundary="([^"]+)"/.exec(raw)?.[1];
    const a = boundaryOf(compose(invitation()));
    expect(a).toBeTruthy();
    expect(boundaryOf(compose(invitation()))).not.toBe(a);
  });
});
