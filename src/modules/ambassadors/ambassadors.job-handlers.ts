import { handleJob } from '../../platform/jobs/define-job.ts';
import { giveUpMailOnFailure } from '../email/deliver-mail.ts';
import {
  friendWelcomeJob,
  programmeInviteJob,
  rewardReleaseJob,
  rewardSweepJob,
} from './ambassadors.jobs.ts';
import {
  friendWelcomeMessageId,
  programmeInviteMessageId,
  sendFriendWelcome,
  sendProgrammeInvite,
} from './ambassadors.mail.ts';
import * as repo from './ambassadors.repository.ts';
import { MISS_WINDOW_MS, releaseReward } from './rewards.service.ts';

const organisationOf = (id: string | null): string => {
  if (!id) throw new Error('job without organisation');
  return id;
};

/** Its email is given up (the outbox says "not sent") once the mail server failed every attempt. */
export const programmeInviteHandler = handleJob(programmeInviteJob, {
  run: (p, ctx) =>
    sendProgrammeInvite(ctx, organisationOf(ctx.organisationId), p.ambassadorId, ctx.jobId),
  onFailed: giveUpMailOnFailure((_p, ctx) => programmeInviteMessageId(ctx, ctx.jobId)),
});

/** Its email is given up (the outbox says "not sent") once the mail server failed every attempt. */
export const friendWelcomeHandler = handleJob(friendWelcomeJob, {
  run: (p, ctx) => sendFriendWelcome(ctx, organisationOf(ctx.organisationId), p.referralId),
  onFailed: giveUpMailOnFailure((p, ctx) => friendWelcomeMessageId(ctx, p.referralId)),
});

export const rewardReleaseHandler = handleJob(rewardReleaseJob, {
  run: (p, ctx) => releaseReward(ctx, organisationOf(ctx.organisationId), p.rewardId),
});

/** Releases rewards whose hold is over (a safety net for a lost job) and forgets old misses. */
export const rewardSweepHandler = handleJob(rewardSweepJob, {
  run: async (_p, ctx) => {
    const now = ctx.now();
    let issued = 0;
    for (const due of await repo.dueRewardIds(ctx.db.kysely, now, 1000)) {
      const r = await releaseReward(ctx, due.organisation_id, due.id);
      if (r.status === 'success') issued++;
    }
    await repo.deleteCodeMissesBefore(ctx.db.kysely, now - 2 * MISS_WINDOW_MS);
    return { status: 'success', detail: `${issued} rewards released` };
  },
});
