import type { EmailTable } from '../../db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import type { JobContext } from '../../platform/jobs/define-job.ts';
import { emailId } from './email-ids.ts';
import { mailRouteOf } from './mail-route.slot.ts';
import * as emails from './emails.repository.ts';
import type { EmailRow } from './emails.repository.ts';
import {
  classifyMailFailure,
  sendOverSmtp,
  type MailRoute,
  type SmtpRoute,
} from './mail-transport.ts';

/** A message to write to `emails` before it is handed to a mail route. */
export interface QueuedMail {
  organisationId: string;
  kind: EmailTable['kind'];
  invitationId?: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** From, Reply-To, List-Unsubscribe, …: stored with the row, sent with every attempt. */
  headers: Record<string, string>;
  messageId: string;
  /** A time of the cause every retry sees the same (an invitation's, a job's, a case's id): the email's month. */
  placedAt: number;
  transport: EmailTable['transport'];
}

/**
 * The row of a message not sent yet. Its id is derived from its Message-ID (email-ids.ts), so a
 * sender that runs again writes the same row; every sender looks the Message-ID up first, so a row
 * written before ids were derived stays the one row of its message.
 */
export function queuedEmail(mail: QueuedMail, now: number): EmailTable {
  return {
    id: emailId(mail.messageId, mail.placedAt),
    organisation_id: mail.organisationId,
    kind: mail.kind,
    invitation_id: mail.invitationId ?? null,
    to_address: mail.to,
    subject: mail.subject,
    text_body: mail.text,
    html_body: mail.html,
    headers: JSON.stringify(mail.headers),
    message_id: mail.messageId,
    status: 'queued',
    transport: mail.transport,
    error: null,
    failure: null,
    next_attempt_at: null,
    sent_at: null,
    created_at: now,
  };
}

export type DeliveryResult =
  | SendResult
  /** Its row could not be read back (another organisation's row holds the id): nothing sent. */
  | { status: 'missing' };

/** What became of one attempt to send a stored row. */
export type SendResult =
  | { status: 'sent' }
  | { status: 'already-sent' }
  /** An earlier attempt was refused for good (5xx, its recipient or its message): never sent again. */
  | { status: 'already-refused' }
  | { status: 'held' }
  /** The server refused the recipient's address for good (a hard bounce). */
  | { status: 'rejected'; code: number }
  /** The server refused the message for good after its DATA (spam, size, content); not the address. */
  | { status: 'refused'; code: number };

/**
 * The one delivery step of a single message outside the invitation flow (customer mail outside the
 * NPS loop, and the staff mail of the closed loop). Writes the message to `emails` — or, when its
 * Message-ID is there and did not go out (a retried job, "try again" in the outbox), writes this
 * attempt's composition over that row, whatever its id: a mail tried again says what is true now
 * (the offer, the texts, the links, the From of the mail route as it is now) under the same
 * Message-ID — and sends that row (`sendStoredMail`).
 */
export async function deliverMail(
  deps: Deps & Pick<JobContext, 'retryAt'>,
  mail: Omit<QueuedMail, 'transport'>,
): Promise<DeliveryResult> {
  const db = deps.db.kysely;
  const { organisationId, messageId } = mail;
  const route = await mailRouteOf(deps, organisationId);
  const existing = await emails.findEmailByMessageId(db, organisationId, messageId);
  if (existing) {
    // An earlier attempt wrote it and it did not go out: this attempt's composition replaces the
    // stored one (a row sent or refused for good is left as it is).
    await emails.recomposeUnsentEmail(db, organisationId, existing.id, {
      to_address: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html,
      headers: JSON.stringify(mail.headers),
    });
  } else {
    await emails.insertEmailIfAbsent(
      db,
      queuedEmail({ ...mail, transport: route.kind }, deps.now()),
    );
  }
  const email = await emails.findEmailByMessageId(db, organisationId, messageId);
  if (!email) return { status: 'missing' };
  return sendStoredMail(deps, organisationId, route, email);
}

/**
 * Hands a message written to `emails` to the organisation's mail route: its server, the
 * installation's, or the local outbox, where it is `held` and never counted as sent. The row goes
 * out as stored — its sender wrote this attempt's composition to it first — so the outbox shows
 * what was sent. A row already sent is left alone, and so is one the server refused for good
 * (`refusedForGood`: its recipient, or its message after DATA): a job that mails several people and
 * runs again after another recipient's failure sends each of them at most once. A permanent (5xx)
 * refusal fails the row at once (`rejected` or `refused`, with the server's answer); any other
 * failure is recorded on the row (the outbox says why it waits) and thrown, for the job to retry. The weekly digest writes its row itself
 * (with its unsubscribe token, in one transaction) and sends it through here too.
 */
export async function sendStoredMail(
  deps: Deps & Pick<JobContext, 'retryAt'>,
  organisationId: string,
  route: MailRoute,
  email: EmailRow,
): Promise<SendResult> {
  const db = deps.db.kysely;
  if (email.status === 'sent') return { status: 'already-sent' };
  if (emails.refusedForGood(email)) return { status: 'already-refused' };
  if (route.kind === 'outbox') {
    await emails.updateEmail(db, organisationId, email.id, { status: 'held', transport: 'outbox' });
    return { status: 'held' };
  }
  try {
    const outcome = await transmitEmail(deps, route, email);
    if (outcome.status !== 'accepted') {
      // Final (5xx): failed at once, saying why, and not tried again by the job.
      await emails.updateEmail(db, organisationId, email.id, {
        status: 'failed',
        transport: 'smtp',
        failure: outcome.status,
        error: `${outcome.code} ${outcome.message}`.slice(0, 500),
        next_attempt_at: null,
      });
      return { status: outcome.status, code: outcome.code };
    }
  } catch (err) {
    await emails.updateEmail(db, organisationId, email.id, {
      transport: 'smtp',
      failure: classifyMailFailure(err),
      error: (err instanceof Error ? err.message : String(err)).slice(0, 500),
      // When the job sends it again (its back-off), as the outbox shows for invitations; none
      // after the last attempt, or outside a job.
      next_attempt_at: deps.retryAt?.(deps.now()) ?? null,
    });
    throw err;
  }
  await emails.updateEmail(db, organisationId, email.id, {
    status: 'sent',
    sent_at: deps.now(),
    transport: 'smtp',
    error: null,
    failure: null,
  });
  return { status: 'sent' };
}

/**
 * Hands a stored email to the mail server as it was composed (its `From` and other headers
 * included); temporary failures throw, a refusal is the outcome. Records nothing: the caller
 * writes the row.
 */
export async function transmitEmail(deps: Deps, route: SmtpRoute, email: EmailRow) {
  const { From: from = '', ...headers } = JSON.parse(email.headers) as Record<string, string>;
  return sendOverSmtp(
    route,
    {
      from,
      to: email.to_address,
      subject: email.subject,
      text: email.text_body,
      html: email.html_body,
      messageId: email.message_id,
      headers,
    },
    { concurrency: deps.config.WORKER_CONCURRENCY, timeoutMs: deps.config.SMTP_TIMEOUT_MS },
  );
}

/**
 * The `onFailed` of a job that delivers one message (`deliverMail`, `sendStoredMail`). A failed
 * attempt leaves the row `queued`, saying why, for the job's next attempt; once the job has run out
 * of attempts nothing will send it, so the row is given up — `failed`, keeping the last attempt's
 * failure — and the outbox says it was not sent instead of "queued" for ever. `messageIdOf` names
 * the job's message (read again from the payload); null when the job never wrote one.
 */
export function giveUpMailOnFailure<P>(
  messageIdOf: (payload: P, ctx: JobContext) => Promise<string | null> | string | null,
): (payload: P, ctx: JobContext) => Promise<void> {
  return async (payload, ctx) => {
    const organisationId = ctx.organisationId;
    if (!organisationId) return;
    const messageId = await messageIdOf(payload, ctx);
    if (messageId) await emails.giveUpQueuedEmail(ctx.db.kysely, organisationId, messageId);
  };
}
