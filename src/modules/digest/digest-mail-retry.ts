import { enqueueAgain } from '../../platform/jobs/define-job.ts';
import { retryJobNow } from '../../platform/jobs/jobs.repository.ts';
import { contribute } from '../../platform/slots.ts';
import type { EmailListRow } from '../email/emails.repository.ts';
import { mailRetrySlot } from '../email/mail-retry.slot.ts';
import { digestOfMessageId } from './digest-message-id.ts';
import { reportedWeek } from './digest-week.ts';
import { composeDigestJob } from './digest.jobs.ts';

/** The member and week of a digest that is still the latest: the week a digest now would report. */
function latestDigest(email: EmailListRow, now: number) {
  const digest = email.message_id ? digestOfMessageId(email.message_id) : null;
  return digest && digest.week === reportedWeek(now).label ? digest : null;
}

/**
 * "Try again" for a weekly digest, registered with the outbox: only the latest week's digest (an
 * older one's figures were overtaken by the next Monday's, which went out or will). Its compose
 * job runs again — made due, or queued again under its dedupe key — and re-reads the member: one
 * who left or switched the digest off meanwhile is skipped, and the outbox offers no retry then.
 */
export const digestMailRetry = contribute(mailRetrySlot, 'digest.retry-weekly-digest', () =>
  Promise.resolve({
    kind: 'weekly_digest' as const,
    offered: (_db, _organisationId, emails: readonly EmailListRow[], now: number) =>
      Promise.resolve(new Set(emails.filter((e) => latestDigest(e, now)).map((e) => e.id))),
    async retry(db, organisationId, email, now) {
      const digest = latestDigest(email, now);
      if (!digest) return false;
      const payload = { membershipId: digest.membershipId, week: digest.week };
      const job = { organisationId, type: composeDigestJob.type, key: payload };
      if (await retryJobNow(db, job, now)) return true;
      await enqueueAgain(db, composeDigestJob, payload, {
        organisationId,
        now,
        // The sweep's key: one compose job per member and week, whoever queued it.
        dedupeKey: `${composeDigestJob.type}:${digest.membershipId}:${digest.week}`,
      });
      return true;
    },
  }),
);
