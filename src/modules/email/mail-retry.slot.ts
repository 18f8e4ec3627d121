import type { Executor } from '../../db/database.ts';
import { defineSlot } from '../../platform/slots.ts';
import type { EmailKind } from './email-kinds.ts';
import type { EmailListRow } from './emails.repository.ts';

/**
 * How the module that sends one kind of mail tries it again from the outbox ("try again"). The
 * email module only knows that a send waits for the mail server or gave up; whether this email
 * may go again, and how (bring its job forward, queue it again), is the sending module's to say.
 * A kind nobody registers (case alerts, test mail, a colleague's invitation) is never offered.
 */
export interface MailRetry {
  kind: EmailKind;
  /**
   * Which of these emails of its kind — each waiting for the mail server or given up — may be
   * tried again now (the outbox list's `retryable`). Reads in one go for a page of emails.
   */
  offered(
    db: Executor,
    organisationId: string,
    emails: readonly EmailListRow[],
    now: number,
  ): Promise<ReadonlySet<string>>;
  /**
   * Tries one email again in the caller's transaction: its job made due, or queued again. False
   * when it may not (any more): the voucher expired, a later digest went out, the job is gone.
   */
  retry(db: Executor, organisationId: string, email: EmailListRow, now: number): Promise<boolean>;
}

/**
 * The email module's registration of retries: each module that sends mail contributes a
 * `MailRetry` per kind (`contribute(mailRetrySlot, …)` in its `defineModule`), so the outbox
 * offers "try again" without importing the modules whose mail it delivers.
 */
export const mailRetrySlot = defineSlot<Record<string, never>, MailRetry>('email.retry');
