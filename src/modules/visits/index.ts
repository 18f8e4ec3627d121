import { defineModule } from '../../platform/define-module.ts';
import { inviteAfterVisitHandler } from './visits.job-handlers.ts';
import { visitsHolder } from './visits.personal-data.ts';
import { visitRoutes } from './visits.routes.ts';

/**
 * Visits and purchases: recorded by API (single, batch) and shown per contact; a survey can be
 * sent N days after a visit, through the ordinary send planning and contact rules.
 */
export const visitsModule = defineModule({
  name: 'visits',
  routes: visitRoutes,
  jobs: [inviteAfterVisitHandler],
  personalData: [visitsHolder],
});
