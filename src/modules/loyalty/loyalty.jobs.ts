import { z } from 'zod';
import { defineJob } from '../../platform/jobs/define-job.ts';

/** Daily: a task for each promoter who did not come back within their usual interval. */
export const lapsedPromoterSweepJob = defineJob({
  type: 'loyalty.lapsed-sweep',
  payload: z.object({}),
  maxAttempts: 3,
});
