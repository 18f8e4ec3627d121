import { defineModule } from '../../platform/define-module.ts';
import { bounceRoutes } from './bounces.routes.ts';
import { emailsHolder } from './emails.personal-data.ts';
import { outboxRoutes } from './outbox.routes.ts';
import { unsubscribeRoutes } from './unsubscribe.routes.ts';

/** Email: the outbox, bounce reports, and the one-click unsubscribe page behind every email. */
export const emailModule = defineModule({
  name: 'email',
  routes: async (app, deps) => {
    await outboxRoutes(app, deps);
    await bounceRoutes(app, deps);
  },
  publicRoutes: unsubscribeRoutes,
  personalData: [emailsHolder],
});
