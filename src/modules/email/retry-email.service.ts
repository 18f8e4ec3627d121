import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../platform/deps.ts';
import { collectSlot } from '../../platform/slots.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { EmailKind } from './email-kinds.ts';
import * as emails from './emails.repository.ts';
import type { EmailListRow } from './emails.repository.ts';
import { mailRetrySlot, type MailRetry } from './mail-retry.slot.ts';
import { presentEmailSummary, waitsOrGaveUp, type EmailSummaryJson } from './outbox.presenter.ts';
import { staffMailReader } from './staff-mail-reader.ts';

/** The retry each module registered, by the kind of mail it sends. */
async function retriesByKind(deps: Deps): Promise<Map<EmailKind, MailRetry>> {
  const answers = await collectSlot(deps, mailRetrySlot, {});
  return new Map(answers.map(({ value }) => [value.kind, value]));
}

/**
 * The ids among `rows` that the outbox offers to try again now: a send waiting for the mail
 * server or given up (`waitsOrGaveUp`), of a kind whose module registered a retry and agrees
 * (one question per kind on the page).
 */
export async function retryableIds(
  deps: Deps,
  db: Executor,
  organisationId: string,
  rows: readonly EmailListRow[],
  now: number,
): Promise<ReadonlySet<string>> {
  const candidates = rows.filter(waitsOrGaveUp);
  if (candidates.length === 0) return new Set();
  const retries = await retriesByKind(deps);
  const ids = new Set<string>();
  for (const [kind, retry] of retries) {
    const ofKind = candidates.filter((r) => r.kind === kind);
    if (ofKind.length === 0) continue;
    for (const id of await retry.offered(db, organisationId, ofKind, now)) ids.add(id);
  }
  return ids;
}

/**
 * "Try again now" from the outbox, in the caller's transaction. The module that sends the email's
 * kind decides and does it (`MailRetry.retry`: its job made due or queued again); the email is
 * then queued, due now. A recipient the server refused, local outbox mail, a send its job decided
 * against and a kind nobody registered (case alerts, test mail) cannot be retried.
 */
export async function retryEmail(
  deps: Deps,
  db: Executor,
  actor: Actor,
  emailId: string,
  now: number,
): Promise<EmailSummaryJson> {
  // Another person's staff mail is not this reader's to know of (`staffMailReader`).
  const email = await emails.findEmail(
    db,
    actor.organisationId,
    emailId,
    await staffMailReader(db, actor),
  );
  if (!email) throw notFound('email');
  const retry = (await retriesByKind(deps)).get(email.kind);
  if (!retry || !waitsOrGaveUp(email)) throw new AppError('email_not_retryable');
  const offered = await retry.offered(db, actor.organisationId, [email], now);
  if (!offered.has(email.id)) throw new AppError('email_not_retryable');
  if (!(await retry.retry(db, actor.organisationId, email, now))) {
    throw new AppError('email_not_retryable');
  }
  await emails.updateEmail(db, actor.organisationId, email.id, {
    status: 'queued',
    next_attempt_at: now,
  });
  await recordAudit(
    db,
    actor,
    { action: 'email.retried', entityType: 'email', entityId: email.id },
    now,
  );
  const after = (await emails.findEmail(db, actor.organisationId, email.id)) ?? email;
  // Offered again as the list would offer it: the delivery state and the sending module agree.
  const retryable = await retryableIds(deps, db, actor.organisationId, [after], now);
  return presentEmailSummary(after, retryable.has(after.id));
}
