import { enqueue } from '../../platform/jobs/define-job.ts';
import { retryJobNow } from '../../platform/jobs/jobs.repository.ts';
import { contribute } from '../../platform/slots.ts';
import type { EmailListRow } from '../email/emails.repository.ts';
import { mailRetrySlot } from '../email/mail-retry.slot.ts';
import { friendWelcomeJob } from './ambassadors.jobs.ts';
import { referralsWithValidWelcome } from './ambassadors.repository.ts';

/** The id a message of this module carries before `.<suffix>@` (`<jobId.programme@host>`). */
const idOf = (email: EmailListRow, suffix: 'programme' | 'welcome'): string | null =>
  new RegExp(`^<([^.@<>]+)\\.${suffix}@[^@<>]+>$`).exec(email.message_id ?? '')?.[1] ?? null;

/**
 * "Try again" for the invitation to the programme, registered with the outbox: its job (the
 * Message-ID is the job's) is made due or queued again, and re-reads the ambassador: one who left
 * the programme or unsubscribed meanwhile is skipped, and the outbox offers no retry then.
 */
export const programmeInviteMailRetry = contribute(
  mailRetrySlot,
  'ambassadors.retry-programme-invite',
  () =>
    Promise.resolve({
      kind: 'ambassador_invite' as const,
      offered: (_db, _organisationId, emails: readonly EmailListRow[]) =>
        Promise.resolve(new Set(emails.filter((e) => idOf(e, 'programme')).map((e) => e.id))),
      async retry(db, organisationId, email, now) {
        const jobId = idOf(email, 'programme');
        return jobId !== null && retryJobNow(db, { organisationId, id: jobId }, now);
      },
    }),
);

/**
 * "Try again" for a friend's welcome offer, registered with the outbox: only while its voucher is
 * still valid (issued, not redeemed, voided or past its last day) — a code the till refuses is not
 * worth the friend's inbox. Its job runs again and re-reads the lead and the voucher.
 */
export const friendWelcomeMailRetry = contribute(
  mailRetrySlot,
  'ambassadors.retry-friend-welcome',
  () =>
    Promise.resolve({
      kind: 'friend_welcome' as const,
      async offered(db, organisationId, emails: readonly EmailListRow[], now: number) {
        const byReferral = new Map(
          emails.flatMap((e) => {
            const referralId = idOf(e, 'welcome');
            return referralId ? [[referralId, e.id] as const] : [];
          }),
        );
        const valid = await referralsWithValidWelcome(
          db,
          organisationId,
          [...byReferral.keys()],
          now,
        );
        return new Set(valid.flatMap((r) => byReferral.get(r) ?? []));
      },
      async retry(db, organisationId, email, now) {
        const referralId = idOf(email, 'welcome');
        if (!referralId) return false;
        const valid = await referralsWithValidWelcome(db, organisationId, [referralId], now);
        if (valid.length === 0) return false;
        const payload = { referralId };
        const job = { organisationId, type: friendWelcomeJob.type, key: payload };
        if (!(await retryJobNow(db, job, now))) {
          await enqueue(db, friendWelcomeJob, payload, { organisationId, now });
        }
        return true;
      },
    }),
);
