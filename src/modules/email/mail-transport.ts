import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { MailFailure } from '../../db/schema.ts';
import { composeMimeMessage, type MailToCompose } from './compose-mime.ts';

/** One message ready for the wire; the `emails` row it came from holds the same values. */
export interface OutgoingMail extends MailToCompose {
  /** Stable `<id@host>`: a re-send after a crash carries the same id, so receivers deduplicate. */
  messageId: string;
}

/**
 * What happened at the receiving server. A permanent (5xx) answer is final — RFC 5321 says it must
 * not be repeated as it is — and comes back as one of two outcomes (`permanentRefusal`):
 * `rejected`, the server refused the recipient's address (at RCPT TO, or after DATA with an
 * enhanced code of the address: a hard bounce the caller must record); `refused`, it refused the
 * message itself after DATA (as spam, too big, for its content: the recipient is not at fault and
 * must not be suppressed). Temporary problems (4xx, connection errors) are thrown, so the job is
 * retried with back-off.
 */
export type DeliveryOutcome =
  | { status: 'accepted'; response: string | null }
  | { status: 'rejected'; code: number; message: string }
  | { status: 'refused'; code: number; message: string };

/**
 * Where an organisation's mail goes: its own SMTP server (organisation settings), the
 * installation's default (`SMTP_URL`), or nowhere — the local outbox, where mail is kept for staff
 * to read but never leaves. Resolved by `resolveMailRoute` (mail-server module).
 */
export type MailRoute =
  | { kind: 'outbox' }
  | {
      kind: 'smtp';
      source: 'organisation' | 'installation';
      /** Identifies the connection settings; a changed setting gets a new pool. */
      poolKey: string;
      connection: SMTPTransport.Options | string;
      /** The bare sender address the server accepts mail from. */
      fromAddress: string;
      /** Host name to show a person ("smtp.example.nl"), never credentials. */
      host: string;
    };

export type SmtpRoute = Extract<MailRoute, { kind: 'smtp' }>;

// One pooled SMTP transport per route and process: a TCP + TLS handshake per message would make a
// batch of a thousand invitations crawl, and the pool bounds the connections the server sees.
const pools = new Map<string, Transporter>();

/**
 * nodemailer waits up to 2 minutes to connect and 10 minutes for any answer (RFC 5321's DATA
 * timeout), so a mail server that accepts a message and never answers held a worker for ten
 * minutes. Our waits are shorter: connecting, DNS and the greeting at most 30 s, any silence of
 * the server (above all after DATA) `timeoutMs`.
 */
function timeouts(timeoutMs: number) {
  const connect = Math.min(30_000, timeoutMs);
  return {
    connectionTimeout: connect,
    greetingTimeout: connect,
    dnsTimeout: connect,
    socketTimeout: timeoutMs,
  };
}

function createTransporter(
  route: SmtpRoute,
  timeoutMs: number,
  pool: { maxConnections: number } | null,
): Transporter {
  const waits = timeouts(timeoutMs);
  if (typeof route.connection === 'string') {
    const url = new URL(route.connection);
    for (const [name, value] of Object.entries(waits)) url.searchParams.set(name, String(value));
    if (pool) {
      url.searchParams.set('pool', 'true');
      url.searchParams.set('maxConnections', String(pool.maxConnections));
      url.searchParams.set('maxMessages', '1000');
    }
    return nodemailer.createTransport(url.toString());
  }
  return nodemailer.createTransport({
    ...route.connection,
    ...waits,
    ...(pool ? { pool: true, maxConnections: pool.maxConnections, maxMessages: 1000 } : {}),
  });
}

function pooledTransporter(route: SmtpRoute, maxConnections: number, timeoutMs: number) {
  const key = `${route.poolKey} ${maxConnections} ${timeoutMs}`;
  let transporter = pools.get(key);
  if (transporter) return { key, transporter };
  // Settings of this organisation changed: the old pool holds connections nobody will use again.
  const family = route.poolKey.split('@')[0] ?? route.poolKey;
  for (const [other, stale] of pools) {
    if (other.split('@')[0] === family) {
      stale.close();
      pools.delete(other);
    }
  }
  transporter = createTransporter(route, timeoutMs, { maxConnections });
  pools.set(key, transporter);
  return { key, transporter };
}

/** Thrown when a message is not done within its deadline; the job retries it later. */
export class MailTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

/**
 * Runs one send with an overall deadline: a server that keeps the connection alive by trickling
 * bytes never trips the silence timeout. Past the deadline `onTimeout` closes the stuck connection
 * and the send fails, to be retried with back-off.
 */
async function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(
        new MailTimeoutError(`the mail server did not finish the message within ${ms / 1000} s`),
      );
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    // The losing send may still reject later (its connection closed); that is expected.
    work.catch(() => undefined);
  }
}

interface SmtpError {
  code?: string;
  /** The SMTP command answered (`MAIL FROM`, `RCPT TO`, `DATA`). */
  command?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

const responseOf = (info: unknown): string | null => {
  const response = (info as { response?: unknown } | null)?.response;
  return typeof response === 'string' ? response : null;
};

/**
 * What nodemailer is handed: the message composed already (`composeMimeMessage`), with the From
 * and To it takes the SMTP envelope from and the Message-ID it reports back.
 */
function wireMessage(mail: MailToCompose): Mail.Options {
  return {
    from: mail.from,
    to: mail.to,
    ...(mail.messageId ? { messageId: mail.messageId } : {}),
    raw: composeMimeMessage(mail),
  };
}

/**
 * Hands one message to the route's pooled SMTP transport. The caller decides what the local outbox
 * means; this function only ever talks to a real server.
 */
export async function sendOverSmtp(
  route: SmtpRoute,
  mail: OutgoingMail,
  options: { concurrency: number; timeoutMs: number },
): Promise<DeliveryOutcome> {
  const { key, transporter } = pooledTransporter(
    route,
    Math.max(1, options.concurrency),
    options.timeoutMs,
  );
  try {
    const info: unknown = await withDeadline(
      transporter.sendMail(wireMessage(mail)),
      2 * options.timeoutMs,
      () => {
        pools.delete(key);
        transporter.close();
      },
    );
    return { status: 'accepted', response: responseOf(info) };
  } catch (err) {
    const refusal = permanentRefusal(err);
    if (refusal) return refusal;
    throw err;
  }
}

/**
 * The enhanced mail system status code (RFC 3463) that follows a reply's basic code:
 * `550 5.7.1 message refused as spam` → `{ class: 5, subject: 7, detail: 1 }`. Null when the reply
 * carries none (older servers answer `554 transaction failed`).
 */
export function enhancedStatusOf(
  reply: string,
): { class: number; subject: number; detail: number } | null {
  const match = /^\d{3}[ -]([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])/.exec(reply.trimStart());
  if (!match) return null;
  return { class: Number(match[1]), subject: Number(match[2]), detail: Number(match[3]) };
}

/**
 * Whether a permanent answer after DATA refuses the recipient's address rather than the message.
 * Servers that check recipients only once they have the message answer so (`554 5.1.1 no such
 * user`): RFC 3463's addressing status, X.1.x — except X.1.7 and X.1.8, which are about the
 * sender's address, not the customer's. Anything else (X.7.x policy and spam, X.3.4 too big,
 * X.6.x content, no enhanced code) is a refusal of this message, and says nothing of the address.
 */
function refusesAddress(reply: string): boolean {
  const status = enhancedStatusOf(reply);
  return status !== null && status.subject === 1 && status.detail !== 7 && status.detail !== 8;
}

/**
 * Whether the server refused our sender address (a 5xx answer to MAIL FROM: "553 5.7.1 sender
 * address rejected"): the organisation's settings name an address the server will not send for.
 * Every message fails alike until someone changes them; it says nothing of the recipient.
 */
function refusesSender(e: SmtpError): boolean {
  return (
    e.code === 'EENVELOPE' &&
    e.command === 'MAIL FROM' &&
    e.responseCode !== undefined &&
    e.responseCode >= 500
  );
}

/**
 * Whether a 5xx answer to a recipient (RCPT TO, or the DATA command that follows it) refuses the
 * recipient's address — a hard bounce — rather than refusing to take mail from us for it. By the
 * enhanced code (RFC 3463) when there is one: X.1.x is the address (5.1.1 no such user, 5.1.2 bad
 * domain, 5.1.3 bad syntax, 5.1.6 moved, 5.1.10 null MX), except X.1.7/X.1.8, the sender's. Any
 * other subject is not about the mailbox: X.7.x relay, login and policy ("554 5.7.1 Relay access
 * denied", "530 5.7.0 Authentication required"), X.3.x the server's system, X.4.x routing, X.5.x
 * the protocol — except Microsoft 365's "5.4.1 Recipient address rejected"
 * (`isEdgeBlockedRecipient`). Without a code, the replies RFC 5321 defines for the mailbox are the address — 550
 * mailbox unavailable, 551 user not local, 553 mailbox name not allowed — and RFC 7504's 556 (its
 * domain takes no mail); anything else (554 transaction failed, 530, 552, 5.5-ish syntax replies)
 * is not. A code-less 550/553 that names relaying or a login ("550 relaying denied", qmail's "553
 * sorry, that domain isn't in my list of allowed rcpthosts") is the route, not the address: a
 * server says that of every recipient, and reading it as a bounce would suppress every customer of
 * a send for one missing login.
 */
function refusesRecipientAddress(reply: string, responseCode: number): boolean {
  const status = enhancedStatusOf(reply);
  if (status !== null) {
    if (status.subject === 4 && status.detail === 1) return isEdgeBlockedRecipient(reply);
    return status.subject === 1 && status.detail !== 7 && status.detail !== 8;
  }
  if (![550, 551, 553, 556].includes(responseCode)) return false;
  return !/relay|rcpthosts|authenticat|auth(entication)? required/i.test(reply);
}

/**
 * Microsoft 365's answer for an address its directory does not know ("550 5.4.1 Recipient address
 * rejected: Access denied. AS(201806281)": directory-based edge blocking): the customer's company
 * uses Exchange Online and has no such mailbox. Microsoft says so of this reply, though X.4.1 is
 * a routing code; its relay refusal under the same code ("550 5.4.1 Relay Access Denied") is the
 * route. Dutch businesses mail many customers on Microsoft 365, so reading the first as the route
 * would retry every such typo for a day and tell the business to check its own mail settings.
 */
function isEdgeBlockedRecipient(reply: string): boolean {
  return /recipient address rejected/i.test(reply) && !/relay/i.test(reply);
}

/**
 * Whether a 5xx answer to a recipient names our sender's address (X.1.7/X.1.8: Postfix, which
 * answers sender restrictions at RCPT TO, says "553 5.1.8 <x>: Sender address rejected: Domain
 * not found"): the settings, as a refused MAIL FROM (`refusesSender`).
 */
function refusesSenderAtRecipient(reply: string): boolean {
  const status = enhancedStatusOf(reply);
  return status !== null && status.subject === 1 && (status.detail === 7 || status.detail === 8);
}

/** A 5xx answer to a recipient: RCPT TO, or the DATA command (`EENVELOPE`, not MAIL FROM). */
function refusedAtRecipient(e: SmtpError): boolean {
  return (
    e.code === 'EENVELOPE' &&
    e.command !== 'MAIL FROM' &&
    e.responseCode !== undefined &&
    e.responseCode >= 500
  );
}

/**
 * A send's error as a final outcome, or null when it may be tried again. A 5xx answer to a
 * recipient (RCPT TO, or the DATA command; nodemailer's `EENVELOPE`) that refuses its address
 * (`refusesRecipientAddress`: 5.1.1, a plain 550) is `rejected`, a hard bounce. One that refuses
 * to take mail from us for it — relay denied, a login required (5.7.x), the server's system,
 * routing or protocol (5.3.x, 5.4.x, 5.5.x) — says nothing of the customer: the same answer comes
 * for every recipient of a send, from the organisation's own settings more often than not. It is
 * null: thrown and tried again with the job's back-off as after a refused login, while the outbox
 * says to check the settings (`relay`, `classifyMailFailure`). A 5xx answer after the message's
 * DATA (`EMESSAGE`) refuses the address or the message, by its enhanced status code
 * (`refusesAddress`). A 5xx answer to MAIL FROM refuses our sender address, not the recipient:
 * null too (`sender`). 4xx answers and everything else are null.
 */
export function permanentRefusal(
  error: unknown,
): Extract<DeliveryOutcome, { status: 'rejected' | 'refused' }> | null {
  const e = (error ?? {}) as SmtpError;
  if (e.responseCode === undefined || e.responseCode < 500) return null;
  if (refusesSender(e)) return null;
  const message = (e.response ?? e.message ?? 'rejected').slice(0, 500);
  if (refusedAtRecipient(e)) {
    return refusesRecipientAddress(e.response ?? '', e.responseCode)
      ? { status: 'rejected', code: e.responseCode, message }
      : null;
  }
  if (e.code === 'EMESSAGE') {
    const status = refusesAddress(e.response ?? '') ? 'rejected' : 'refused';
    return { status, code: e.responseCode, message };
  }
  return null;
}

/**
 * One message over a fresh, unpooled connection, for a test mail: the person waiting gets the
 * server's actual answer to this attempt (greeting, TLS, login, sender, recipient), not a pooled
 * connection's memory of an earlier one. At most `timeoutMs` of silence, twice that in all.
 * Throws the server's error.
 */
export async function sendOnce(
  route: SmtpRoute,
  mail: Omit<OutgoingMail, 'messageId'> & { messageId?: string },
  timeoutMs: number,
): Promise<{ response: string | null }> {
  const transporter = createTransporter(route, timeoutMs, null);
  try {
    const info: unknown = await withDeadline(
      transporter.sendMail(wireMessage(mail)),
      2 * timeoutMs,
      () => transporter.close(),
    );
    return { response: responseOf(info) };
  } finally {
    transporter.close();
  }
}

/** Closes the pooled SMTP connections (tests, benchmarks and a graceful shutdown). */
export function closeMailTransports(): void {
  for (const transporter of pools.values()) transporter.close();
  pools.clear();
}

/** The bare address of `MAIL_FROM` ("Loyaal <no-reply@x.nl>" → "no-reply@x.nl"). */
export function senderAddress(mailFrom: string): string {
  const match = /<([^<>\s]+@[^<>\s]+)>/.exec(mailFrom);
  return (match?.[1] ?? mailFrom).trim();
}

/** `"Sender" <address>`, with characters that would break the quoted name removed. */
export function fromHeader(name: string, address: string): string {
  return `"${name.replace(/["\\\r\n]/g, '').trim()}" <${address}>`;
}

/** The host part of Message-IDs: the public host, so ids are unique to this installation. */
export function messageIdHost(publicUrl: string): string {
  try {
    return new URL(publicUrl).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}

/** The host of an `smtp://user:pass@host:port` URL, for showing without its credentials. */
export function hostOfSmtpUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return '';
  }
}

/**
 * A failure of one recipient's message only, not of the mail server: a 4xx answer to RCPT TO
 * ("busy, try later") or after the message's DATA (greylisting, a full mailbox) — but not 421, the
 * server closing the connection, nor an answer to MAIL FROM (our sender, the same for everyone) —
 * or a 5xx answer to RCPT TO that is not about the address (relay denied, a policy:
 * `permanentRefusal` null). That one is answered per recipient: a policy may hold for one mailbox
 * only, and when it holds for all (a missing login), each of them is tried and waits saying why.
 * A job mailing several people carries on with the others and throws after.
 */
export function isRecipientDeferral(error: unknown): boolean {
  const e = (error ?? {}) as SmtpError;
  if (refusedAtRecipient(e)) return permanentRefusal(e) === null;
  return (
    ((e.code === 'EENVELOPE' && e.command !== 'MAIL FROM') || e.code === 'EMESSAGE') &&
    e.responseCode !== undefined &&
    e.responseCode < 500 &&
    e.responseCode !== 421
  );
}

/**
 * Why a send failed, in a stable code the admin app words plainly: the server could not be
 * reached, did not answer in time, refused our login, could not agree on encryption, refused our
 * sender address (5xx to MAIL FROM, or X.1.7/X.1.8 at RCPT TO: `sender`), answered "try again
 * later" (4xx), refused to take mail for a recipient from us without blaming its address (5xx at
 * RCPT TO: relay denied, a login required, policy: `relay`), refused the recipient (5xx,
 * `rejected`) or refused the message after its DATA (5xx, `refused`: see `permanentRefusal`).
 */
export function classifyMailFailure(error: unknown): MailFailure {
  const e = (error ?? {}) as SmtpError;
  const code = e.code ?? '';
  if (e.responseCode !== undefined) {
    if (code === 'EAUTH' || e.responseCode === 535 || e.responseCode === 534) return 'auth';
    if (refusesSender(e)) return 'sender';
    if (e.responseCode < 500) return 'temporary';
    if (refusedAtRecipient(e) && !permanentRefusal(error)) {
      return refusesSenderAtRecipient(e.response ?? '') ? 'sender' : 'relay';
    }
    return permanentRefusal(error)?.status ?? 'rejected';
  }
  if (code === 'EAUTH' || code === 'ENOAUTH') return 'auth';
  if (code === 'ETLS' || /tls|ssl|certificate/i.test(e.message ?? '')) return 'tls';
  if (code === 'ETIMEDOUT' || error instanceof MailTimeoutError) return 'timeout';
  if (
    [
      'ECONNECTION',
      'ECONNREFUSED',
      'ECONNRESET',
      'EDNS',
      'ENOTFOUND',
      'EHOSTUNREACH',
      'ESOCKET',
    ].includes(code)
  ) {
    return 'unreachable';
  }
  return 'other';
}
