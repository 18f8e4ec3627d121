import type { Executor } from '../../db/database.ts';
import { enqueue } from '../../platform/jobs/define-job.ts';
import { bringJobForward } from '../../platform/jobs/jobs.repository.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import * as emails from '../email/emails.repository.ts';
import { presentEmailSummary } from '../email/outbox.presenter.ts';
import { staffMailReader } from '../email/staff-mail-reader.ts';
import { invitationRemindJob, invitationSendJob } from './invitations.jobs.ts';
import * as repo from './invitations.repository.ts';

/**
 * "Try again now" from the outbox. A send that is waiting for the mail server is made due at once;
 * one that gave up (the mail server failed for a day) goes back in the queue, its invitation with
 * it. A recipient the server refused (a hard bounce) and local outbox mail cannot be retried.
 */
export async function retryEmail(db: Executor, actor: Actor, emailId: string, now: number) {
  // Another person's staff mail is not this reader's to know of (`staffMailReader`).
  const email = await emails.findEmail(
    db,
    actor.organisationId,
    emailId,
    await staffMailReader(db, actor),
  );
  if (!email) throw notFound('email');
  const summary = presentEmailSummary(email);
  if (!summary.retryable || !email.invitation_id) throw new AppError('email_not_retryable');
  const job = email.kind === 'reminder' ? invitationRemindJob : invitationSendJob;
  const payload = { invitationId: email.invitation_id };
  if (email.status === 'queued') {
    const moved = await bringJobForward(
      db,
      { type: job.type, payload: JSON.stringify(payload), organisationId: actor.organisationId },
      now,
    );
    if (moved === 0) throw new AppError('email_not_retryable');
  } else {
    if (email.kind === 'invitation') {
      const reopened = await repo.updateInvitation(
        db,
        actor.organisationId,
        email.invitation_id,
        { status: 'queued', skip_reason: null },
        ['failed'],
      );
      if (!reopened) throw new AppError('email_not_retryable');
    }
    await enqueue(db, job, payload, { organisationId: actor.organisationId, now });
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
  const after = await emails.findEmail(db, actor.organisationId, email.id);
  return presentEmailSummary(after ?? email);
}
