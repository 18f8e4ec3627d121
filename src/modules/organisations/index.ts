import { defineModule } from '../../platform/define-module.ts';
import { logoRoutes } from './logos.routes.ts';
import { meRoutes } from './me.routes.ts';
import { organisationRoutes } from './organisations.routes.ts';

/** First-visit setup and the organisation's settings. */
export const organisationsModule = defineModule({
  name: 'organisations',
  routes: async (app, deps) => {
    await organisationRoutes(app, deps);
    await meRoutes(app, deps);
    await app.register(async (scope) => logoRoutes(scope, deps));
  },
});
