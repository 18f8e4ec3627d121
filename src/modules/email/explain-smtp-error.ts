import { classifyMailFailure } from './mail-transport.ts';

/**
 * Why a mail server did not take a message, as one of a few reasons a person can act on, plus the
 * server's own words. Pure: it reads the fields nodemailer (and Node's socket layer) put on the
 * error; the catalogue (`mail.reason.*`) turns the reason into a sentence.
 */
export type SmtpFailureReason =
  | 'host_not_found'
  | 'connection_refused'
  | 'timeout'
  | 'tls'
  | 'auth_failed'
  | 'auth_required'
  | 'sender_rejected'
  | 'recipient_rejected'
  | 'relay_denied'
  | 'message_rejected'
  | 'connection_closed'
  | 'unknown';

export interface SmtpFailure {
  reason: SmtpFailureReason;
  /** The server's reply ("535 5.7.8 Authentication failed"), else the network error; ≤ 300 chars. */
  serverReply: string | null;
  responseCode: number | null;
}

interface ErrorLike {
  code?: unknown;
  errno?: unknown;
  syscall?: unknown;
  command?: unknown;
  response?: unknown;
  responseCode?: unknown;
  message?: unknown;
  reason?: unknown;
  cause?: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const TLS_WORDS =
  /(ssl|tls|certificate|self[- ]signed|wrong version number|handshake|EPROTO|unable to verify|alert)/i;

/** Network-level codes, possibly wrapped by nodemailer in `cause` or mentioned in the message. */
function systemCode(e: ErrorLike): string {
  for (const candidate of [e, e.cause as ErrorLike | undefined]) {
    if (!candidate) continue;
    const code = str(candidate.code);
    if (/^E[A-Z_]+$/.test(code) && !code.startsWith('EENVELOPE')) {
      if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code)) {
        return code;
      }
    }
  }
  const text = `${str(e.message)} ${str((e.cause as ErrorLike | undefined)?.message)}`;
  return /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/.exec(text)?.[0] ?? '';
}

/** "…:SSL routines:tls_validate_record_header:wrong version number:…" → "wrong version number". */
function networkMessage(message: string): string {
  const openssl = /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1];
  return (openssl ?? message.split('\n')[0] ?? message).trim().slice(0, 300);
}

export function explainSmtpError(error: unknown): SmtpFailure {
  const e: ErrorLike = typeof error === 'object' && error !== null ? error : {};
  const code = str(e.code);
  const command = str(e.command).toUpperCase();
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const response = str(e.response).trim();
  const message = str(e.message).trim();
  const serverReply = response
    ? response.replace(/\s+/g, ' ').slice(0, 300)
    : message
      ? networkMessage(message)
      : null;
  const result = (reason: SmtpFailureReason): SmtpFailure => ({
    reason,
    serverReply,
    responseCode,
  });

  const system = systemCode(e);
  if (system === 'ENOTFOUND' || system === 'EAI_AGAIN' || code === 'EDNS') {
    return result('host_not_found');
  }
  if (system === 'ECONNREFUSED' || system === 'EHOSTUNREACH' || system === 'ENETUNREACH') {
    return result('connection_refused');
  }
  if (code === 'ETIMEDOUT' || system === 'ETIMEDOUT') return result('timeout');
  if (code === 'ETLS' || code === 'EREQUIRETLS') return result('tls');
  if (code === 'EAUTH' || code === 'ENOAUTH') return result('auth_failed');
  // "530 Authentication required" arrives as the answer to MAIL FROM.
  if (responseCode === 530 || (responseCode === 550 && /auth/i.test(response))) {
    return result('auth_required');
  }
  if (code === 'EENVELOPE' && command === 'MAIL FROM') return result('sender_rejected');
  if (code === 'EENVELOPE' && command.startsWith('RCPT')) {
    // Only an answer about the mailbox refuses the address; "554 5.7.1 Relay access denied" is the
    // server refusing to pass mail on for us — a login or sender to fix (`classifyMailFailure`).
    const failure = classifyMailFailure(error);
    if (failure === 'sender') return result('sender_rejected');
    if (failure === 'relay') return result('relay_denied');
    return result('recipient_rejected');
  }
  if (code === 'EMESSAGE' || (code === 'EENVELOPE' && command === 'DATA')) {
    return result('message_rejected');
  }
  if ((code === 'ESOCKET' || code === 'ECONNECTION') && TLS_WORDS.test(`${message} ${response}`)) {
    return result('tls');
  }
  if (code === 'ECONNECTION' || code === 'ESOCKET' || code === 'EPROTOCOL') {
    return result('connection_closed');
  }
  return result('unknown');
}
