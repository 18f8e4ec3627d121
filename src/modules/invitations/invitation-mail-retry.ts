import type { Executor } from '../../db/database.ts';
import { enqueue } from '../../platform/jobs/define-job.ts';
import { bringJobForward } from '../../platform/jobs/jobs.repository.ts';
import { contribute } from '../../platform/slots.ts';
import type { EmailListRow } from '../email/emails.repository.ts';
import { mailRetrySlot, type MailRetry } from '../email/mail-retry.slot.ts';
import { invitationRemindJob, invitationSendJob } from './invitations.jobs.ts';
import * as repo from './invitations.repository.ts';

/**
 * "Try again" for an invitation or its reminder. A send that is waiting for the mail server is
 * made due at once; one that gave up (the mail server failed for a day) goes back in the queue,
 * its invitation with it.
 */
function invitationRetry(kind: 'invitation' | 'reminder'): MailRetry {
  const job = kind === 'reminder' ? invitationRemindJob : invitationSendJob;
  return {
    kind,
    offered: (_db, _organisationId, emails: readonly EmailListRow[]) =>
      Promise.resolve(new Set(emails.filter((e) => e.invitation_id !== null).map((e) => e.id))),
    async retry(db: Executor, organisationId: string, email: EmailListRow, now: number) {
      if (!email.invitation_id) return false;
      const payload = { invitationId: email.invitation_id };
      if (email.status === 'queued') {
        const moved = await bringJobForward(
          db,
          { type: job.type, key: payload, organisationId },
          now,
        );
        return moved > 0;
      }
      if (kind === 'invitation') {
        const reopened = await repo.updateInvitation(
          db,
          organisationId,
          email.invitation_id,
          { status: 'queued', skip_reason: null },
          ['failed'],
        );
        if (!reopened) return false;
      }
      await enqueue(db, job, payload, { organisationId, now });
      return true;
    },
  };
}

/** The invitation's retry, registered with the outbox (`mailRetrySlot`). */
export const invitationMailRetry = contribute(mailRetrySlot, 'invitations.retry-invitation', () =>
  Promise.resolve(invitationRetry('invitation')),
);

/** The reminder's retry, registered with the outbox (`mailRetrySlot`). */
export const reminderMailRetry = contribute(mailRetrySlot, 'invitations.retry-reminder', () =>
  Promise.resolve(invitationRetry('reminder')),
);
