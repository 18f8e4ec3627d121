import { z } from 'zod';
import { defineJob } from '../../platform/jobs/define-job.ts';

/** Once a day (schedule `privacy.retention`): enqueue one retention run per organisation. */
export const retentionSweepJob = defineJob({
  type: 'privacy.retention-sweep',
  payload: z.object({}),
  maxAttempts: 3,
});

/** One organisation's retention run; the organisation comes from the job row. */
export const retentionRunJob = defineJob({
  type: 'privacy.retention-run',
  payload: z.object({}),
  maxAttempts: 5,
});
