import { enqueue } from '../../platform/jobs/define-job.ts';
import { retryJobNow } from '../../platform/jobs/jobs.repository.ts';
import { contribute } from '../../platform/slots.ts';
import type { EmailListRow } from '../email/emails.repository.ts';
import { mailRetrySlot } from '../email/mail-retry.slot.ts';
import { findReviewRequestByMessageId } from './review-requests.repository.ts';
import { reviewEmailJob } from './reviews.jobs.ts';

/**
 * "Try again" for a review request, registered with the outbox: its answer's job runs again —
 * made due, or queued again — and decides anew (`decideReviewEmail`): a customer who unsubscribed,
 * bounced or was erased meanwhile is skipped, and the outbox offers no retry then.
 */
export const reviewRequestMailRetry = contribute(
  mailRetrySlot,
  'reviews.retry-review-request',
  () =>
    Promise.resolve({
      kind: 'review_request' as const,
      offered: (_db, _organisationId, emails: readonly EmailListRow[]) =>
        Promise.resolve(new Set(emails.filter((e) => e.message_id).map((e) => e.id))),
      async retry(db, organisationId, email, now) {
        if (!email.message_id) return false;
        const request = await findReviewRequestByMessageId(db, organisationId, email.message_id);
        // An answer erased since (its request unlinked) has nothing to ask about any more.
        if (!request?.response_id) return false;
        const payload = { responseId: request.response_id };
        const job = { organisationId, type: reviewEmailJob.type, key: payload };
        if (!(await retryJobNow(db, job, now))) {
          await enqueue(db, reviewEmailJob, payload, { organisationId, now });
        }
        return true;
      },
    }),
);
