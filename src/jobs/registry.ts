import type { Deps } from '../server/deps.ts';

/** What a job did, in words for the job table: `success` or `skipped` with a reason. */
export interface JobResult {
  status: 'success' | 'skipped';
  detail?: string;
}

export type JobHandler = (
  payload: Record<string, unknown>,
  ctx: Deps & { organisationId: string | null; jobId: string; attempt: number },
) => Promise<JobResult>;

const handlers = new Map<string, JobHandler>();

/** Feature modules register their job handlers at import time (e.g. `invitation.send`). */
export function registerJobHandler(type: string, handler: JobHandler): void {
  handlers.set(type, handler);
}

export function jobHandler(type: string): JobHandler | undefined {
  return handlers.get(type);
}
