import { handleJob } from '../../platform/jobs/define-job.ts';
import { webhookDeliveryJob } from './webhooks.jobs.ts';
import { deliver, deliveryFailedForGood } from './webhooks.service.ts';

export const webhookDeliveryHandler = handleJob(webhookDeliveryJob, {
  run: ({ deliveryId }, ctx) => deliver(deliveryId, ctx),
  onFailed: ({ deliveryId }, ctx, error) => deliveryFailedForGood(deliveryId, ctx, error),
});
