import { SMTPServer } from 'smtp-server';
import type { Config } from '../../src/config.ts';

/**
 * A real SMTP server in the test process (the `smtp-server` package), so tests send through the
 * same pooled nodemailer transport as production and assert on the bytes that arrive. It parses
 * just enough MIME for our own messages (headers, encoded words, multipart/alternative with
 * quoted-printable or base64 parts) instead of pulling in a full mail parser.
 */
export interface ReceivedMail {
  raw: string;
  envelopeTo: string[];
  /** Lower-case header name → decoded value (the last occurrence wins). */
  headers: Map<string, string>;
  messageId: string;
  subject: string;
  from: string;
  contentType: string;
  /** The text/plain and text/html parts, decoded. */
  parts(): { contentType: string; body: string }[];
  text(): string;
  html(): string;
}

export interface TestSmtpServer {
  port: number;
  /** `smtp://127.0.0.1:<port>` for `SMTP_URL`. */
  url: string;
  received: ReceivedMail[];
  /** Recipients answered with `550 mailbox unavailable` at RCPT TO (a hard bounce). */
  rejectRecipients: Set<string>;
  /** Recipients answered with `450 mailbox busy` at RCPT TO (a temporary refusal: try later). */
  deferRecipients: Set<string>;
  /**
   * Recipients answered at RCPT TO with this reply instead of `250`: a relay that refuses to pass
   * mail on (`{ code: 554, text: '5.7.1 Relay access denied' }`), a missing login, a bad mailbox.
   */
  answerAtRcpt: Map<string, { code: number; text: string }>;
  /** The recipient of every RCPT TO answered so (one entry per attempt). */
  answeredAtRcpt: string[];
  /**
   * Recipients whose message is answered after its DATA with this reply instead of `250`: a server
   * that checks the address, the size or the content only once it has the message
   * (`{ code: 550, text: '5.7.1 message refused as spam' }`). The message is not kept.
   */
  answerAfterData: Map<string, { code: number; text: string }>;
  /** The recipient of every message answered so (one entry per attempt). */
  answeredAfterData: string[];
  /** While true, the server takes in a message's DATA and never answers (a hung mail server). */
  stallAfterData: boolean;
  /** Messages taken in while stalled (never acknowledged). */
  stalled: number;
  /** Connection errors of clients (a client killed in the middle of a message). */
  errors: Error[];
  /** Senders answered with `553 sender address rejected` at MAIL FROM. */
  rejectSenders: Set<string>;
  /** User names that logged in successfully (servers started with `auth`). */
  logins: string[];
  /**
   * Runs for each message taken in, before the server acknowledges it (so the client waits for
   * it): a test changes the world "while a batch is sending".
   */
  onReceived: ((mail: ReceivedMail) => Promise<void>) | null;
  /** Resolves once at least `count` messages arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const joined = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i] as string;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) in header values. */
export function decodeHeaderValue(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g,
      (_m, _charset: string, enc: string, data: string) =>
        enc.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64').toString('utf8')
          : decodeQuotedPrintable(data.replace(/_/g, ' ')),
    );
}

function splitHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0)
      headers.set(
        line.slice(0, i).trim().toLowerCase(),
        decodeHeaderValue(line.slice(i + 1).trim()),
      );
  }
  return headers;
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  if (!match) return { headers: splitHeaders(raw), body: '' };
  return {
    headers: splitHeaders(raw.slice(0, match.index)),
    body: raw.slice(match.index + match[0].length),
  };
}

/** Decodes a part's transfer encoding; line ends come back as `\n`. */
function decodeBody(headers: Map<string, string>, body: string): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const decoded =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
  return decoded.replace(/\r\n/g, '\n');
}

/** Reads a message as the server received it: headers decoded, parts split and decoded. */
export function parseMail(raw: string, envelopeTo: string[] = []): ReceivedMail {
  const { headers, body } = splitEntity(raw);
  const contentType = headers.get('content-type') ?? 'text/plain';
  let cached: { contentType: string; body: string }[] | null = null;
  const parts = () => {
    if (cached) return cached;
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary) {
      cached = [{ contentType, body: decodeBody(headers, body) }];
      return cached;
    }
    cached = body
      .split(`--${boundary}`)
      .slice(1)
      .filter((p) => !p.startsWith('--'))
      .map((p) => {
        const entity = splitEntity(p.replace(/^\r?\n/, ''));
        return {
          contentType: entity.headers.get('content-type') ?? 'text/plain',
          body: decodeBody(entity.headers, entity.body.replace(/\r?\n$/, '')),
        };
      });
    return cached;
  };
  const part = (type: string) => parts().find((p) => p.contentType.startsWith(type))?.body ?? '';
  return {
    raw,
    envelopeTo,
    headers,
    messageId: headers.get('message-id') ?? '',
    subject: headers.get('subject') ?? '',
    from: headers.get('from') ?? '',
    contentType,
    parts,
    text: () => part('text/plain'),
    html: () => part('text/html'),
  };
}

export interface SmtpServerOptions {
  /** Listen on this port (a free one when 0 or left out). */
  port?: number;
  /** Require a login with exactly these credentials (AUTH PLAIN/LOGIN over the plain connection). */
  auth?: { user: string; pass: string };
}

/** Starts the server on a port (a free one by default); a number is the port, as before. */
export async function startSmtpServer(
  portOrOptions: number | SmtpServerOptions = {},
): Promise<TestSmtpServer> {
  const options: SmtpServerOptions =
    typeof portOrOptions === 'number' ? { port: portOrOptions } : portOrOptions;
  const port = options.port ?? 0;
  const received: ReceivedMail[] = [];
  const rejectRecipients = new Set<string>();
  const deferRecipients = new Set<string>();
  const answerAtRcpt = new Map<string, { code: number; text: string }>();
  const answeredAtRcpt: string[] = [];
  const answerAfterData = new Map<string, { code: number; text: string }>();
  const answeredAfterData: string[] = [];
  const rejectSenders = new Set<string>();
  const logins: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const state: {
    stallAfterData: boolean;
    stalled: number;
    onReceived: ((mail: ReceivedMail) => Promise<void>) | null;
  } = { stallAfterData: false, stalled: 0, onReceived: null };
  const errors: Error[] = [];
  const server = new SMTPServer({
    // Connections a client left open (an app's pooled transport) are cut a second after close()
    // instead of the default 30 s, which every file's teardown otherwise waited out.
    closeTimeout: 1_000,
    authOptional: !options.auth,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 5 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (
        options.auth &&
        auth.username === options.auth.user &&
        auth.password === options.auth.pass
      ) {
        logins.push(auth.username ?? '');
        callback(null, { user: auth.username });
        return;
      }
      callback(
        Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }),
      );
    },
    onMailFrom(address, _session, callback) {
      if (rejectSenders.has(address.address.toLowerCase())) {
        callback(
          Object.assign(new Error('5.7.1 Sender address rejected: not owned by user'), {
            responseCode: 553,
          }),
        );
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      const answer = answerAtRcpt.get(address.address.toLowerCase());
      if (answer) {
        answeredAtRcpt.push(address.address.toLowerCase());
        callback(Object.assign(new Error(answer.text), { responseCode: answer.code }));
        return;
      }
      if (rejectRecipients.has(address.address.toLowerCase())) {
        const error = Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 });
        callback(error);
        return;
      }
      if (deferRecipients.has(address.address.toLowerCase())) {
        callback(
          Object.assign(new Error('4.2.1 mailbox busy, try again later'), { responseCode: 450 }),
        );
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      if (state.stallAfterData) {
        stream.on('end', () => state.stalled++);
        stream.resume();
        return;
      }
      const refused = session.envelope.rcptTo
        .map((r) => r.address.toLowerCase())
        .find((address) => answerAfterData.has(address));
      const answer = refused === undefined ? undefined : answerAfterData.get(refused);
      if (refused !== undefined && answer) {
        stream.on('end', () => {
          answeredAfterData.push(refused);
          callback(Object.assign(new Error(answer.text), { responseCode: answer.code }));
        });
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail = parseMail(
          Buffer.concat(chunks).toString('utf8'),
          session.envelope.rcptTo.map((r) => r.address),
        );
        received.push(mail);
        for (const w of waiters.filter((w) => received.length >= w.count)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
        const hook = state.onReceived;
        if (!hook) {
          callback();
          return;
        }
        hook(mail).then(
          () => callback(),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });
  // A client that dies in the middle of a message (the worker-kill test SIGKILLs it) makes
  // smtp-server emit the socket's ECONNRESET on the server; without a listener that would end the
  // test process. It is the client's failure, not the server's: note it and carry on.
  server.on('error', (error: Error) => {
    errors.push(error);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const listening = typeof address === 'object' && address ? address.port : 0;
  return {
    port: listening,
    url: `smtp://127.0.0.1:${listening}`,
    received,
    rejectRecipients,
    deferRecipients,
    answerAtRcpt,
    answeredAtRcpt,
    answerAfterData,
    answeredAfterData,
    get onReceived() {
      return state.onReceived;
    },
    set onReceived(hook: ((mail: ReceivedMail) => Promise<void>) | null) {
      state.onReceived = hook;
    },
    get stallAfterData() {
      return state.stallAfterData;
    },
    set stallAfterData(value: boolean) {
      state.stallAfterData = value;
    },
    get stalled() {
      return state.stalled;
    },
    errors,
    rejectSenders,
    logins,
    waitFor(count, timeoutMs = 30_000) {
      if (received.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${received.length} of ${count} messages arrived`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The app's dependencies with an SMTP timeout of 0.8 s, for the step of a test where the server
 * hangs on purpose (`stallAfterData`): that step waits 0.8 s for its timeout instead of the
 * default minute, while every other send keeps the app's own timeout, so a busy machine's slow
 * answer to an ordinary message is never taken for a hang.
 */
export function impatient<D extends { config: Config }>(deps: D): D {
  return { ...deps, config: { ...deps.config, SMTP_TIMEOUT_MS: 800 } };
}
