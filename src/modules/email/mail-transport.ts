import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config.ts';
import type { MailFailure } from '../../db/schema.ts';

/** One message ready for the wire; the `emails` row it came from holds the same values. */
export interface OutgoingMail {
  /** `"Sender name" <address>`; nodemailer encodes non-ASCII names. */
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable `<id@host>`: a re-send after a crash carries the same id, so receivers deduplicate. */
  messageId: string;
  headers: Record<string, string>;
}

/**
 * What happened at the receiving server. `rejected` is a synchronous 5xx refusal of the recipient:
 * a hard bounce the caller must record. Temporary problems (4xx, connection errors) are thrown, so
 * the job is retried with back-off.
 */
export type DeliveryOutcome =
  { status: 'accepted' } | { status: 'rejected'; code: number; message: string };

export interface MailTransport {
  readonly kind: 'smtp' | 'outbox';
  send(mail: OutgoingMail): Promise<DeliveryOutcome>;
}

/**
 * Without SMTP the `emails` table is the outbox: the row written before sending is the message, so
 * "sending" only has to report success. The admin app shows these under `GET /api/v1/outbox`.
 */
const outboxTransport: MailTransport = {
  kind: 'outbox',
  send: async () => ({ status: 'accepted' }),
};

// One pooled SMTP transport per URL and process: a TCP + TLS handshake per message would make a
// batch of a thousand invitations crawl, and the pool bounds the connections the server sees.
const pools = new Map<string, Transporter>();

/**
 * nodemailer waits up to 2 minutes to connect and 10 minutes for any answer (RFC 5321's DATA
 * timeout), so a mail server that accepts a message and never answers held a worker for ten
 * minutes. Our waits are shorter: connecting and the greeting at most 30 s, any silence of the
 * server (above all after DATA) `timeoutMs`.
 */
function smtpTransporter(url: string, maxConnections: number, timeoutMs: number): Transporter {
  const key = `${url} ${maxConnections} ${timeoutMs}`;
  let transporter = pools.get(key);
  if (!transporter) {
    const pooled = new URL(url);
    pooled.searchParams.set('pool', 'true');
    pooled.searchParams.set('maxConnections', String(maxConnections));
    pooled.searchParams.set('maxMessages', '1000');
    const connect = String(Math.min(30_000, timeoutMs));
    pooled.searchParams.set('connectionTimeout', connect);
    pooled.searchParams.set('greetingTimeout', connect);
    pooled.searchParams.set('dnsTimeout', connect);
    pooled.searchParams.set('socketTimeout', String(timeoutMs));
    transporter = nodemailer.createTransport(pooled.toString());
    pools.set(key, transporter);
  }
  return transporter;
}

/** Thrown when a message is not done within its deadline; the job retries it later. */
export class MailTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

/**
 * Runs one send with an overall deadline: a server that keeps the connection alive by trickling
 * bytes never trips the silence timeout. Past the deadline the pool of that server is closed (its
 * stuck connection with it) and the send fails, to be retried with back-off.
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
  responseCode?: number;
  response?: string;
  message?: string;
}

/** The configured transport: pooled SMTP when `SMTP_URL` is set, else the local outbox. */
export function mailTransport(
  config: Pick<Config, 'SMTP_URL' | 'WORKER_CONCURRENCY' | 'SMTP_TIMEOUT_MS'>,
): MailTransport {
  const url = config.SMTP_URL;
  if (!url) return outboxTransport;
  const timeoutMs = config.SMTP_TIMEOUT_MS;
  const transporter = smtpTransporter(url, Math.max(1, config.WORKER_CONCURRENCY), timeoutMs);
  return {
    kind: 'smtp',
    async send(mail) {
      try {
        await withDeadline(
          transporter.sendMail({
            from: mail.from,
            to: mail.to,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            messageId: mail.messageId,
            headers: mail.headers,
          }),
          2 * timeoutMs,
          () => {
            for (const [key, pooled] of pools) {
              if (pooled === transporter) pools.delete(key);
            }
            transporter.close();
          },
        );
        return { status: 'accepted' };
      } catch (err) {
        const e = err as SmtpError;
        if (e.code === 'EENVELOPE' && e.responseCode !== undefined && e.responseCode >= 500) {
          return {
            status: 'rejected',
            code: e.responseCode,
            message: (e.response ?? e.message ?? 'rejected').slice(0, 500),
          };
        }
        throw err;
      }
    },
  };
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

/** The host part of Message-IDs: the public host, so ids are unique to this installation. */
export function messageIdHost(publicUrl: string): string {
  try {
    return new URL(publicUrl).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}

/**
 * Why a send failed, in a stable code the admin app words plainly: the server could not be
 * reached, did not answer in time, refused our login, could not agree on encryption, answered
 * "try again later" (4xx), or refused the recipient (5xx).
 */
export function classifyMailFailure(error: unknown): MailFailure {
  const e = (error ?? {}) as SmtpError & { command?: string };
  const code = e.code ?? '';
  if (e.responseCode !== undefined) {
    if (code === 'EAUTH' || e.responseCode === 535 || e.responseCode === 534) return 'auth';
    return e.responseCode >= 500 ? 'rejected' : 'temporary';
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
