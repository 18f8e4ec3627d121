import { z } from 'zod';
import { MAX_ATTEMPTS, retryDelay } from '../../domain/webhooks/standard-webhooks.ts';
import { defineJob } from '../../platform/jobs/define-job.ts';

/**
 * The deliveries of one cause (an answer batch's events, a replay, a test event) to ONE endpoint,
 * in order. Each endpoint has its own jobs, so a failing or slow endpoint is retried on its own
 * schedule (about three days) and delays no other endpoint; one job per endpoint and cause instead
 * of one per delivery keeps the answer's transaction to a few job rows. `{ deliveryId }` is the
 * one-delivery form that jobs written before took; it is still run.
 */
export const webhookDeliveryJob = defineJob({
  type: 'webhook.deliver',
  payload: z.union([
    z.object({ deliveryIds: z.array(z.string()).min(1) }),
    z.object({ deliveryId: z.string() }),
  ]),
  maxAttempts: MAX_ATTEMPTS,
  retryDelayMs: retryDelay,
});

/** The deliveries a job carries, in order. */
export const deliveriesOf = (
  payload: { deliveryIds: string[] } | { deliveryId: string },
): string[] => ('deliveryIds' in payload ? payload.deliveryIds : [payload.deliveryId]);
