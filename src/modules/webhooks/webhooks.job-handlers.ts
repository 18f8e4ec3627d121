import { handleJob } from '../../platform/jobs/define-job.ts';
import { deliveriesOf, webhookDeliveryJob } from './webhooks.jobs.ts';
import { deliverAll, deliveriesFailedForGood } from './webhooks.service.ts';

export const webhookDeliveryHandler = handleJob(webhookDeliveryJob, {
  run: (payload, ctx) => deliverAll(deliveriesOf(payload), ctx),
  onFailed: (payload, ctx, error) => deliveriesFailedForGood(deliveriesOf(payload), ctx, error),
});
