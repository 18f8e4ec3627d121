import '../modules/invitations/invitations.jobs.ts';
import '../modules/imports/imports.jobs.ts';
/**
 * Imports every module that registers job handlers, so a worker process knows all job types.
 * Each feature adds its `*.jobs.ts` file here.
 */
export function registerAllJobHandlers(): void {
  // Handlers register themselves on import; see the imports above this function as features land.
}
