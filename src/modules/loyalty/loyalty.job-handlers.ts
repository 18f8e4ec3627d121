import { handleJob } from '../../platform/jobs/define-job.ts';
import { lapsedPromoterSweepJob } from './loyalty.jobs.ts';
import { sweepAllOrganisations } from './lapsed-promoters.service.ts';

/** The sweep is idempotent (one task per contact per interval), so a retry is harmless. */
export const lapsedPromoterSweepHandler = handleJob(lapsedPromoterSweepJob, {
  run: async (_payload, ctx) => {
    const r = await sweepAllOrganisations(ctx.db.kysely, ctx.now());
    return {
      status: 'success',
      detail: `${r.created} tasks in ${r.organisations} organisations`,
    };
  },
});
