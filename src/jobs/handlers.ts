import { registerImportJobs } from '../modules/imports/imports.jobs.ts';
import { registerInvitationJobs } from '../modules/invitations/invitations.jobs.ts';

/**
 * Registers the job handlers of every feature module, so a worker process (in the server or
 * `loyaal worker`) knows all job types. A new module with jobs adds its `register…Jobs()` here.
 */
export function registerAllJobHandlers(): void {
  registerInvitationJobs();
  registerImportJobs();
}
