import { z } from 'zod';
import { defineJob } from '../../platform/jobs/define-job.ts';

/** Import jobs start over on retry; three attempts cover a restart or a deadlock, not a bug. */
export const IMPORT_JOB_ATTEMPTS = 3;

const importPayload = z.object({ importId: z.string() });

/** Checks every row of an upload with the chosen mapping. Handler: imports.job-handlers.ts. */
export const importValidateJob = defineJob({
  type: 'import.validate',
  payload: importPayload,
  maxAttempts: IMPORT_JOB_ATTEMPTS,
});

/** Writes the valid rows in one transaction. Handler: imports.job-handlers.ts. */
export const importCommitJob = defineJob({
  type: 'import.commit',
  payload: importPayload,
  maxAttempts: IMPORT_JOB_ATTEMPTS,
});

/** Daily: expires imports untouched for a day and deletes abandoned upload files. */
export const importCleanupJob = defineJob({
  type: 'import.cleanup',
  payload: z.object({}),
  maxAttempts: 3,
});
