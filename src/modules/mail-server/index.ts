import { defineModule } from '../../platform/define-module.ts';
import { contribute } from '../../platform/slots.ts';
import { mailRouteSlot } from '../email/mail-route.slot.ts';
import { mailServerRoutes } from './mail-server.routes.ts';
import { resolveMailRoute } from './mail-server.service.ts';

/**
 * The organisation's own mail server (the installation's SMTP_URL is the default) and the test
 * mail that proves it works. Holds no personal data of customers: host, login and sender of the
 * organisation itself; the password sealed under SECRET_KEY.
 */
export const mailServerModule = defineModule({
  name: 'mail-server',
  routes: mailServerRoutes,
  // The email module's deliveries ask here where an organisation's mail goes.
  contributions: [
    contribute(mailRouteSlot, 'mail-server.route', ({ organisationId }, deps) =>
      resolveMailRoute(deps.db.kysely, deps.config, organisationId),
    ),
  ],
});
