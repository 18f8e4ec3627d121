import type { JobResult } from '../../platform/jobs/define-job.ts';
import { enqueueMany, handleJob } from '../../platform/jobs/define-job.ts';
import type { Actor } from '../auth/actor.ts';
import { giveUpMailOnFailure } from '../email/deliver-mail.ts';
import { closeQueuedEmailByMessageId } from '../email/emails.repository.ts';
import type { EmailSkipReason } from '../email/skip-reasons.ts';
import { renderDigestMail, sendDigestMail } from './digest-mail.ts';
import { digestMessageId } from './digest-message-id.ts';
import { reportedWeek, weekOf } from './digest-week.ts';
import { composeDigestJob, digestSweepJob } from './digest.jobs.ts';
import { listDigestRecipients, findDigestMember } from './digest.repository.ts';
import { composeDigest, wantsDigest } from './digest.service.ts';

const skipped = (detail: string): JobResult => ({ status: 'skipped', detail });

/**
 * The Monday sweep: one compose job per member who wants the digest, for the week that just
 * ended. Each is enqueued once ever (dedupe key: member and ISO week), so a second sweep in the
 * same week — another worker, a retry, a manual run — adds nothing.
 */
export const digestSweepHandler = handleJob(digestSweepJob, {
  run: async (_payload, ctx) => {
    const now = ctx.now();
    const week = reportedWeek(now);
    // A digest reports a week its reader was a member in: one who joined after it ended (a new
    // organisation on a Monday morning) gets their first digest next Monday, not an empty one now.
    const members = await listDigestRecipients(ctx.db.kysely, week.to);
    await enqueueMany(
      ctx.db.kysely,
      composeDigestJob,
      members.map((m) => ({
        payload: { membershipId: m.id, week: week.label },
        organisationId: m.organisation_id,
        now,
        dedupeKey: `${composeDigestJob.type}:${m.id}:${week.label}`,
      })),
    );
    return { status: 'success', detail: `${members.length} members, ${week.label}` };
  },
});

/**
 * One member's digest: re-reads the member (gone, or turned it off since the sweep: skipped),
 * builds their own actor — role, linked employee, language — and composes the figures through
 * it, then sends (or keeps in the outbox). Idempotent by the Message-ID of member and week.
 * When the mail server stays down through every attempt, the digest's email is given up: the
 * outbox shows it failed, not queued.
 */
export const composeDigestHandler = handleJob(composeDigestJob, {
  run: async ({ membershipId, week: label }, ctx) => {
    const org = ctx.organisationId;
    if (!org) return skipped('no organisation');
    const week = weekOf(label);
    if (!week) return skipped('bad week');
    const db = ctx.db.kysely;
    // A digest an earlier attempt composed (its server failed, or "try again") is closed on a skip.
    const skip = async (reason: EmailSkipReason) => {
      const messageId = digestMessageId(ctx, label, membershipId);
      await closeQueuedEmailByMessageId(db, org, messageId, reason);
      return skipped(reason);
    };
    const member = await findDigestMember(db, org, membershipId);
    if (!member) return skip('member gone');
    if (!wantsDigest(member.role, member.weekly_digest)) return skip('digest turned off');
    if (member.role === 'account_manager' && member.employee_id === null) {
      return skip('account manager without a linked employee: no customers of their own');
    }
    const actor: Actor = {
      kind: 'user',
      id: member.user_id,
      organisationId: org,
      role: member.role,
      employeeId: member.employee_id,
      locale: member.locale,
    };
    const now = ctx.now();
    const content = await composeDigest(db, actor, week, now);
    const app = `${ctx.config.publicUrl.replace(/\/+$/, '')}/admin/`;
    const outcome = await sendDigestMail(
      ctx,
      org,
      {
        membershipId,
        week: label,
        to: member.email,
        senderName: member.organisation_name,
        render: (unsubscribe) =>
          renderDigestMail(
            content,
            {
              organisationName: member.organisation_name,
              ownCustomersOnly: member.role === 'account_manager',
            },
            member.locale,
            { app, unsubscribe },
          ),
      },
      now,
    );
    if (outcome === 'held') return skipped('no mail server: kept in the local outbox, not sent');
    if (outcome === 'already') return skipped('already sent');
    if (outcome === 'rejected') return skipped('recipient rejected');
    if (outcome === 'refused') return skipped('message refused');
    return { status: 'success', detail: `sent ${label}` };
  },
  onFailed: giveUpMailOnFailure(({ membershipId, week }, ctx) =>
    digestMessageId(ctx, week, membershipId),
  ),
});
