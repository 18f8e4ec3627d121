import { defineModule } from '../../platform/define-module.ts';
import { importCommand } from './imports.command.ts';
import {
  cleanupImportsHandler,
  commitImportHandler,
  validateImportHandler,
} from './imports.job-handlers.ts';
import { importCleanupJob } from './imports.jobs.ts';
import { importErrorsHolder, importRejectedRowsHolder } from './imports.personal-data.ts';
import { importRoutes } from './imports.routes.ts';

/** CSV and Excel import of contacts: detect, map, validate, commit (background jobs). */
export const importsModule = defineModule({
  name: 'imports',
  routes: importRoutes,
  jobs: [validateImportHandler, commitImportHandler, cleanupImportsHandler],
  schedules: [{ name: 'imports.cleanup', dailyAt: '03:45', job: importCleanupJob }],
  personalData: [importErrorsHolder, importRejectedRowsHolder],
  commands: [importCommand],
});
