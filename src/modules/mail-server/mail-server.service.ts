import { createHash } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import type { EmailTable, Locale, MailFailure, MailServerTable } from '../../db/schema.ts';
import { t } from '../../i18n/messages.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { createSecretBox } from '../../shared/secret-box.ts';
import { iso } from '../../shared/time.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { emailId } from '../email/email-ids.ts';
import * as emails from '../email/emails.repository.ts';
import { explainSmtpError, type SmtpFailureReason } from '../email/explain-smtp-error.ts';
import {
  classifyMailFailure,
  fromHeader,
  hostOfSmtpUrl,
  messageIdHost,
  sendOnce,
  senderAddress,
  type MailRoute,
} from '../email/mail-transport.ts';
import { escapeHtml } from '../public-pages/html.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import * as repo from './mail-server.repository.ts';
import type {
  MailSettingsJson,
  MailStatusJson,
  SaveMailServerInput,
} from './mail-server.schemas.ts';

type MailConfig = Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'secretKey'>;

/** A person waits for a test mail's answer: at most 20 s of silence (less if configured so). */
const TEST_MAIL_TIMEOUT = (config: Pick<Config, 'SMTP_TIMEOUT_MS'>): number =>
  Math.min(20_000, config.SMTP_TIMEOUT_MS);

/** The additional data a password is sealed with: it decrypts for this organisation only. */
const passwordContext = (organisationId: string) => `mail_server:${organisationId}`;

/** The demo organisation never sends real mail (see `settings.demo`). */
async function isDemo(db: Executor, organisationId: string): Promise<boolean> {
  const org = await findOrganisation(db, organisationId);
  return org ? parseSettings(org.settings).demo : false;
}

/** Thrown when an organisation's server is set but its password cannot be decrypted. */
export class MailPasswordUnreadable extends Error {
  constructor() {
    super(
      'The stored SMTP password cannot be decrypted: SECRET_KEY is missing or was changed. Enter the password again in the mail settings.',
    );
    this.name = 'MailPasswordUnreadable';
  }
}

function readPassword(config: MailConfig, row: repo.MailServerRow): string | null {
  if (row.password_secret === null) return null;
  if (!config.secretKey) throw new MailPasswordUnreadable();
  const opened = createSecretBox(config.secretKey).open(
    row.password_secret,
    passwordContext(row.organisation_id),
  );
  if (!opened.ok) throw new MailPasswordUnreadable();
  return opened.plaintext;
}

function organisationRoute(config: MailConfig, row: repo.MailServerRow): MailRoute {
  const password = readPassword(config, row);
  return {
    kind: 'smtp',
    source: 'organisation',
    poolKey: `org:${row.organisation_id}@${row.updated_at}`,
    host: row.host,
    fromAddress: row.from_address,
    connection: {
      host: row.host,
      port: row.port,
      secure: row.security === 'tls',
      requireTLS: row.security === 'starttls',
      ignoreTLS: row.security === 'none',
      ...(row.username ? { auth: { user: row.username, pass: password ?? '' } } : {}),
      // nodemailer's own logger stays off: it would write the SMTP dialogue, AUTH included.
      logger: false,
      debug: false,
    },
  };
}

function installationRoute(config: MailConfig): MailRoute | null {
  const url = config.SMTP_URL;
  if (!url) return null;
  return {
    kind: 'smtp',
    source: 'installation',
    poolKey: `installation@${createHash('sha256').update(url).digest('hex').slice(0, 16)}`,
    host: hostOfSmtpUrl(url),
    fromAddress: senderAddress(config.MAIL_FROM),
    connection: url,
  };
}

/**
 * Where the organisation's mail goes now: its own server, else the installation's SMTP_URL, else
 * the local outbox. Throws `MailPasswordUnreadable` when its own server's password cannot be read:
 * mail must then fail visibly, never fall back to the outbox and look sent.
 */
export async function resolveMailRoute(
  db: Executor,
  config: MailConfig,
  organisationId: string,
): Promise<MailRoute> {
  if (await isDemo(db, organisationId)) return { kind: 'outbox' };
  const row = await repo.findMailServer(db, organisationId);
  if (row) return organisationRoute(config, row);
  return installationRoute(config) ?? { kind: 'outbox' };
}

function presentTest(row: repo.MailTestRow | undefined, locale: Locale) {
  if (!row) return null;
  return {
    at: iso(row.created_at),
    ok: row.ok === 1,
    source: row.source,
    reason: row.reason,
    serverReply: row.server_reply,
    message: row.ok === 1 ? null : t(locale, `mail.reason.${reasonKey(row.reason)}`),
  };
}

const REASONS = new Set<string>([
  'no_server',
  'password_unreadable',
  'host_not_found',
  'connection_refused',
  'timeout',
  'tls',
  'auth_failed',
  'auth_required',
  'sender_rejected',
  'recipient_rejected',
  'relay_denied',
  'message_rejected',
  'connection_closed',
  'unknown',
]);
type TestReason = SmtpFailureReason | 'no_server' | 'password_unreadable';
const reasonKey = (reason: string | null): TestReason =>
  reason && REASONS.has(reason) ? (reason as TestReason) : 'unknown';

/**
 * Whether mail of the organisation really leaves, for the banners of the send and results screens
 * and for every staff member (no settings, no credentials).
 */
export async function mailStatus(
  db: Executor,
  config: MailConfig,
  organisationId: string,
): Promise<MailStatusJson> {
  if (await isDemo(db, organisationId)) {
    const lastTest = await repo.lastMailTest(db, organisationId);
    return {
      source: 'demo',
      delivers: false,
      problem: null,
      lastTest: lastTest ? { at: iso(lastTest.created_at), ok: lastTest.ok === 1 } : null,
    } as const;
  }
  const row = await repo.findMailServer(db, organisationId);
  let problem: 'password_unreadable' | null = null;
  if (row) {
    try {
      readPassword(config, row);
    } catch {
      problem = 'password_unreadable';
    }
  }
  const source = row ? 'organisation' : config.SMTP_URL ? 'installation' : 'none';
  const lastTest = await repo.lastMailTest(db, organisationId);
  return {
    source,
    delivers: source !== 'none' && problem === null,
    problem,
    lastTest: lastTest ? { at: iso(lastTest.created_at), ok: lastTest.ok === 1 } : null,
  } as const;
}

/** The mail settings screen: the organisation's server (never its password) and the default. */
export async function getMailSettings(
  db: Executor,
  config: MailConfig,
  actor: Actor,
  locale: Locale,
): Promise<MailSettingsJson> {
  const row = await repo.findMailServer(db, actor.organisationId);
  const status = await mailStatus(db, config, actor.organisationId);
  const installation = installationRoute(config);
  return {
    ...status,
    server: row
      ? {
          host: row.host,
          port: row.port,
          security: row.security,
          username: row.username,
          hasPassword: row.password_secret !== null,
          fromAddress: row.from_address,
          updatedAt: iso(row.updated_at),
        }
      : null,
    installation:
      installation && installation.kind === 'smtp'
        ? { host: installation.host, fromAddress: installation.fromAddress }
        : null,
    secretKeyConfigured: config.secretKey !== null,
    lastTest: presentTest(await repo.lastMailTest(db, actor.organisationId), locale),
  };
}

/**
 * Stores the organisation's own mail server. A new password is sealed with SECRET_KEY; without that
 * key a password is refused with a message that says what to do, rather than stored in clear. The
 * audit log records which fields changed, never their values.
 */
export async function saveMailServer(
  db: Executor,
  config: MailConfig,
  actor: Actor,
  input: SaveMailServerInput,
  now: number,
): Promise<void> {
  const current = await repo.findMailServer(db, actor.organisationId);
  let passwordSecret = current?.password_secret ?? null;
  if (input.password === null) passwordSecret = null;
  if (typeof input.password === 'string') {
    if (!config.secretKey) {
      throw new AppError('secret_key_missing', {
        issues: [{ field: 'password', problem: 'secret_key_missing' }],
      });
    }
    passwordSecret = createSecretBox(config.secretKey).seal(
      input.password,
      passwordContext(actor.organisationId),
    );
  }
  const row: MailServerTable = {
    organisation_id: actor.organisationId,
    host: input.host,
    port: input.port,
    security: input.security,
    username: input.username,
    password_secret: input.username ? passwordSecret : null,
    from_address: input.fromAddress,
    created_at: current?.created_at ?? now,
    // Strictly increasing: the transport pool is keyed by it and must be rebuilt on every save.
    updated_at: Math.max(now, (current?.updated_at ?? 0) + 1),
  };
  await repo.upsertMailServer(db, row);
  await recordAudit(
    db,
    actor,
    {
      action: 'mail_server.saved',
      entityType: 'organisation',
      entityId: actor.organisationId,
      data: {
        host: input.host,
        port: input.port,
        security: input.security,
        passwordChanged: input.password !== undefined,
      },
    },
    now,
  );
}

/** Removes the organisation's own server: its mail goes through the installation default again. */
export async function removeMailServer(db: Executor, actor: Actor, now: number): Promise<void> {
  if (await repo.deleteMailServer(db, actor.organisationId)) {
    await recordAudit(
      db,
      actor,
      {
        action: 'mail_server.removed',
        entityType: 'organisation',
        entityId: actor.organisationId,
      },
      now,
    );
  }
}

export interface MailTestResult {
  ok: boolean;
  source: 'organisation' | 'installation' | 'none';
  to: string;
  host: string | null;
  reason: TestReason | null;
  /** The server's own words: "250 2.0.0 Ok: queued as 4Xk…" or "535 5.7.8 …". */
  serverReply: string | null;
  /** What happened, in plain words in the reader's language. */
  message: string;
  testedAt: string;
}

/**
 * "Stuur een testmail naar mij": sends one message to the logged-in person over a fresh connection
 * and reports the server's actual answer. Runs inside the request on purpose — a person is waiting
 * for exactly this answer — with connection, greeting and socket timeouts, and no transaction open
 * while it talks to the server. The attempt is logged in `emails` (kind `test`) and `mail_tests`.
 */
export async function sendTestMail(
  db: Executor,
  deps: { config: Config; now: () => number },
  actor: Actor,
  locale: Locale,
): Promise<MailTestResult> {
  return sendMailToMe(db, deps, actor, locale, ({ organisationName }) => {
    const params = { organisation: organisationName };
    const subject = t(locale, 'mail.test.subject', params);
    const text = t(locale, 'mail.test.body', params);
    const html = `<!DOCTYPE html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:24px;color:#222222;"><p>${escapeHtml(text)}</p></body></html>`;
    return { subject, text, html };
  });
}

/**
 * Sends one message to the logged-in person through the organisation's mail route, over a fresh
 * connection, and reports what the server answered (the mail server's test mail, the survey
 * editor's "Testmail naar mij"). Each attempt is a test of the route: it is logged in `emails`
 * (kind `test`) and `mail_tests`.
 */
export async function sendMailToMe(
  db: Executor,
  deps: { config: Config; now: () => number },
  actor: Actor,
  locale: Locale,
  compose: (context: { organisationName: string; to: string }) => {
    subject: string;
    text: string;
    html: string;
  },
): Promise<MailTestResult> {
  const member =
    actor.kind === 'user' ? await repo.findMemberEmail(db, actor.organisationId, actor.id) : null;
  if (!member) {
    throw new AppError('validation_failed', { issues: [{ field: 'to', problem: 'user_only' }] });
  }
  const org = await findOrganisation(db, actor.organisationId);
  if (!org) throw new AppError('not_found', { params: { entity: 'organisation' } });
  const settings = parseSettings(org.settings);
  const to = member.email;
  const now = deps.now();

  let route: MailRoute | null = null;
  let failure: { reason: TestReason; serverReply: string | null } | null = null;
  try {
    route = await resolveMailRoute(db, deps.config, actor.organisationId);
  } catch (err) {
    if (!(err instanceof MailPasswordUnreadable)) throw err;
    failure = { reason: 'password_unreadable', serverReply: null };
  }
  const source: MailTestResult['source'] = route?.kind === 'smtp' ? route.source : 'none';
  const host = route?.kind === 'smtp' ? route.host : null;
  const fromAddress =
    route?.kind === 'smtp' ? route.fromAddress : senderAddress(deps.config.MAIL_FROM);
  const params = { organisation: org.name, host: host ?? '', to, from: fromAddress };
  const { subject, text, html } = compose({ organisationName: org.name, to });
  const headers: Record<string, string> = {
    From: fromHeader(settings.senderName ?? org.name, fromAddress),
    ...(settings.replyTo ? { 'Reply-To': settings.replyTo } : {}),
  };
  const messageId = `<${newId()}.test@${messageIdHost(deps.config.publicUrl)}>`;

  let serverReply: string | null = null;
  let failureClass: MailFailure | null = null;
  if (route?.kind === 'smtp') {
    try {
      const { From: from = '', ...rest } = headers;
      serverReply = (
        await sendOnce(
          route,
          { from, to, subject, text, html, messageId, headers: rest },
          TEST_MAIL_TIMEOUT(deps.config),
        )
      ).response;
    } catch (err) {
      const explained = explainSmtpError(err);
      failure = { reason: explained.reason, serverReply: explained.serverReply };
      failureClass = classifyMailFailure(err);
    }
  } else if (!failure) {
    failure = { reason: 'no_server', serverReply: null };
  }

  const email: EmailTable = {
    id: emailId(messageId, now),
    organisation_id: actor.organisationId,
    kind: 'test',
    invitation_id: null,
    to_address: to,
    subject,
    text_body: text,
    html_body: html,
    headers: JSON.stringify(headers),
    message_id: messageId,
    status: failure ? (route?.kind === 'smtp' ? 'failed' : 'held') : 'sent',
    transport: route?.kind === 'smtp' ? 'smtp' : 'outbox',
    error: failure
      ? `${failure.reason}${failure.serverReply ? `: ${failure.serverReply}` : ''}`
      : null,
    failure: failureClass,
    next_attempt_at: null,
    sent_at: failure ? null : now,
    created_at: now,
  };
  await emails.insertEmailIfAbsent(db, email);
  await repo.insertMailTest(db, {
    id: newId(),
    organisation_id: actor.organisationId,
    source,
    ok: failure ? 0 : 1,
    reason: failure?.reason ?? null,
    server_reply: failure ? failure.serverReply : serverReply,
    created_at: now,
  });
  return {
    ok: failure === null,
    source,
    to,
    host,
    reason: failure?.reason ?? null,
    serverReply: failure ? failure.serverReply : serverReply,
    message: failure
      ? t(locale, `mail.reason.${failure.reason}`)
      : t(locale, 'mail.test.accepted', params),
    testedAt: new Date(now).toISOString(),
  };
}
