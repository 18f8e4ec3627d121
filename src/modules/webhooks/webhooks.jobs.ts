import { z } from 'zod';
import { MAX_ATTEMPTS, retryDelay } from '../../domain/webhooks/standard-webhooks.ts';
import { defineJob } from '../../platform/jobs/define-job.ts';

/**
 * One delivery of one event to one endpoint. Each is its own job, so a failing or slow endpoint
 * is retried on its own schedule (about three days) and delays no other endpoint.
 */
export const webhookDeliveryJob = defineJob({
  type: 'webhook.deliver',
  payload: z.object({ deliveryId: z.string() }),
  maxAttempts: MAX_ATTEMPTS,
  retryDelayMs: retryDelay,
});
