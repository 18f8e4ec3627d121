import { randomBytes } from 'node:crypto';
import * as base64 from 'nodemailer/lib/base64/index.js';
import { foldLines } from 'nodemailer/lib/mime-funcs/index.js';
import MimeNode from 'nodemailer/lib/mime-node/index.js';
import * as qp from 'nodemailer/lib/qp/index.js';

/**
 * A mail to compose (`OutgoingMail` in mail-transport.ts is one with its stored Message-ID);
 * without a Message-ID one is made up (a test mail may come without).
 */
export interface MailToCompose {
  /** `"Sender name" <address>`; non-ASCII names are encoded. */
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId?: string | undefined;
  headers: Record<string, string>;
}

/** Line length of headers and encoded bodies (RFC 2045's 76; RFC 5322 caps any line at 998). */
const LINE_LENGTH = 76;
const CRLF = '\r\n';

/**
 * Header fields the message's own fields write, and the MIME structure's: a custom header of the
 * same name is dropped (as nodemailer does, the message's own value wins; a second Content-Type
 * would break the structure; a Bcc never goes out).
 */
const OWN_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

/** nodemailer's header encoder: addresses, encoded words (RFC 2047), msg-ids. Holds no message. */
const encoder = new MimeNode(false, { baseBoundary: 'encoder' });

/**
 * Encoded header lines that repeat from message to message (a batch's From and Reply-To, the
 * one-click unsubscribe's constant), by field and value. Bounded: cleared when full.
 */
const repeated = new Map<string, string>();
const REPEATED_MAX = 500;

/**
 * `Key: value`, the value encoded by nodemailer and the line folded at 76 characters; empty when
 * the value is (a field with nothing in it is left out, as nodemailer does).
 */
function headerLine(key: string, value: string): string {
  const encoded = encoder.encodeHeaderValue(key, value);
  return encoded.trim() ? foldLines(`${key}: ${encoded}`, LINE_LENGTH) : '';
}

function repeatedHeaderLine(key: string, value: string): string {
  const id = `${key}\n${value}`;
  let line = repeated.get(id);
  if (line === undefined) {
    if (repeated.size >= REPEATED_MAX) repeated.clear();
    line = headerLine(key, value);
    repeated.set(id, line);
  }
  return line;
}

/** A field name as RFC 5322 allows it: printable ASCII without spaces or a colon. */
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const fieldName = (key: string) => key.replace(/[\s\x00-\x20\x7f:]/g, '');

/**
 * One text part: its headers and body. nodemailer's `MimeNode` picks the transfer encoding as it
 * would for the same content (7bit for short ASCII lines, quoted-printable for mostly Latin text,
 * base64 otherwise); its encoders encode. Line ends are CRLF, a text body's canonical form.
 */
function textPart(contentType: 'text/plain' | 'text/html', content: string): string {
  const type = `${contentType}; charset=utf-8`;
  const encoding = new MimeNode(type, { baseBoundary: 'part' })
    .setContent(content)
    .getTransferEncoding();
  const canonical = content.replace(/\r?\n|\r/g, CRLF);
  const body =
    encoding === 'quoted-printable'
      ? qp.wrap(qp.encode(canonical), LINE_LENGTH)
      : encoding === 'base64'
        ? base64.wrap(base64.encode(canonical), LINE_LENGTH)
        : canonical;
  return (
    `Content-Type: ${type}${CRLF}` +
    `Content-Transfer-Encoding: ${encoding || '7bit'}${CRLF}${CRLF}` +
    body
  );
}

/**
 * The whole RFC 5322 message of a mail, as the bytes handed to the SMTP server: a
 * multipart/alternative with a text/plain and a text/html part, the structure nodemailer builds
 * for the same fields, composed in one synchronous pass.
 *
 * Why: nodemailer composing each message itself (a MIME tree streamed through a chain of
 * transform streams, a socket write per small chunk) took more CPU per invitation than all the
 * database work around it. nodemailer still does the encoding a mail client depends on: every
 * header value goes through its encoder (encoded words for non-ASCII subjects and names, address
 * syntax and IDN domains, msg-id brackets; line breaks in a value cannot start a new field), lines
 * are folded with its `foldLines`, each part's transfer encoding is its choice and its encoders
 * encode the bodies. Ours is only the order of the fields and the boundary. Every line ends in
 * CRLF and is at most 76 characters, so the SMTP layer has nothing to rewrite. The Message-ID is
 * the one given (the stored one: a message sent again carries the same); From, Reply-To and other
 * fields that repeat across a batch are encoded once.
 */
export function composeMimeMessage(mail: MailToCompose, date: Date = new Date()): Buffer {
  const boundary = `--_Loyaal-${randomBytes(12).toString('hex')}`;
  const lines = [repeatedHeaderLine('From', mail.from), headerLine('To', mail.to)];
  lines.push(headerLine('Subject', mail.subject));
  const messageId = mail.messageId ?? `<${randomBytes(16).toString('hex')}@loyaal>`;
  lines.push(headerLine('Message-ID', messageId));
  lines.push(`Date: ${date.toUTCString().replace(/GMT/, '+0000')}`);
  for (const [rawKey, value] of Object.entries(mail.headers)) {
    const key = fieldName(rawKey);
    if (!key || OWN_HEADERS.has(key.toLowerCase())) continue;
    // Per-message values (an unsubscribe link) would only crowd the cache out.
    lines.push(
      key === 'List-Unsubscribe' ? headerLine(key, value) : repeatedHeaderLine(key, value),
    );
  }
  lines.push('MIME-Version: 1.0');
  // Both parts, as every Loyaal mail has; one alone (or an empty text) goes as that part alone,
  // as nodemailer would send it.
  const parts = [
    ...(mail.text || !mail.html ? [textPart('text/plain', mail.text)] : []),
    ...(mail.html ? [textPart('text/html', mail.html)] : []),
  ];
  const head = lines.filter((line) => line !== '').join(CRLF) + CRLF;
  const message =
    parts.length === 1
      ? // Ends in a line break, as nodemailer ends every message.
        `${head}${String(parts[0]).replace(/(?<!\r\n)$/, CRLF)}`
      : head +
        `Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"${CRLF}${CRLF}` +
        parts.map((part) => `--${boundary}${CRLF}${part}${CRLF}`).join('') +
        `--${boundary}--${CRLF}`;
  return Buffer.from(message, 'utf8');
}
