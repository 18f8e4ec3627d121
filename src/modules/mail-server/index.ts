import { defineModule } from '../../platform/define-module.ts';
import { mailServerRoutes } from './mail-server.routes.ts';

/**
 * The organisation's own mail server (the installation's SMTP_URL is the default) and the test
 * mail that proves it works. Holds no personal data of customers: host, login and sender of the
 * organisation itself; the password sealed under SECRET_KEY.
 */
export const mailServerModule = defineModule({ name: 'mail-server', routes: mailServerRoutes });
