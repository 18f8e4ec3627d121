import { handleJob } from '../../platform/jobs/define-job.ts';
import { retentionRunJob, retentionSweepJob } from './privacy.jobs.ts';
import { runRetention, sweepRetention } from './retention.service.ts';

export const retentionSweepHandler = handleJob(retentionSweepJob, {
  run: async (_payload, ctx) => sweepRetention(ctx),
});

export const retentionRunHandler = handleJob(retentionRunJob, {
  run: async (_payload, ctx) =>
    ctx.organisationId
      ? runRetention(ctx, ctx.organisationId)
      : { status: 'skipped', detail: 'no organisation' },
});
