import { defineModule } from '../../platform/define-module.ts';
import { webhookDeliveryHandler } from './webhooks.job-handlers.ts';
import { webhookRoutes } from './webhooks.routes.ts';
import { webhookFanOut } from './webhooks.subscribers.ts';

/**
 * Outgoing webhooks per organisation, signed per Standard Webhooks, delivered from the job table
 * after commit with retries over about three days; the event catalogue is `webhook-catalogue.ts`.
 * Payloads carry facts and ids, no personal data, so the module holds none.
 */
export const webhooksModule = defineModule({
  name: 'webhooks',
  routes: webhookRoutes,
  jobs: [webhookDeliveryHandler],
  subscribers: [webhookFanOut],
});
