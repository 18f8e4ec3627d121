import { defineModule } from '../../platform/define-module.ts';
import { bounceRoutes } from './bounces.routes.ts';
import { emailsHolder } from './emails.personal-data.ts';
import { outboxRoutes } from './outbox.routes.ts';

/** Email: the outbox and bounce reports. */
export const emailModule = defineModule({
  name: 'email',
  routes: async (app, deps) => {
    await outboxRoutes(app, deps);
    await bounceRoutes(app, deps);
  },
  personalData: [emailsHolder],
});
