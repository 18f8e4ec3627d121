import { defineModule } from '../../platform/define-module.ts';
import { organisationRoutes } from './organisations.routes.ts';

/** First-visit setup and the organisation's settings. */
export const organisationsModule = defineModule({
  name: 'organisations',
  routes: organisationRoutes,
});
