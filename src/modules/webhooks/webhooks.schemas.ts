import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from './webhook-catalogue.ts';
import { DELIVERY_REASON_CODES } from './delivery-reason.ts';
import { ENDPOINT_DISABLED_REASONS } from './endpoint-disabled-reason.ts';

const eventType = z.enum(WEBHOOK_EVENT_TYPES as [string, ...string[]]);

export const endpointBody = z.strictObject({
  url: z.string().trim().max(2000),
  events: z.array(eventType).min(1).max(50),
  format: z.enum(['standard', 'slack', 'teams']).default('standard'),
  description: z.string().trim().max(200).nullish(),
  enabled: z.boolean().optional(),
});

export const endpointPatch = z.strictObject({
  url: z.string().trim().max(2000).optional(),
  events: z.array(eventType).min(1).max(50).optional(),
  format: z.enum(['standard', 'slack', 'teams']).optional(),
  description: z.string().trim().max(200).nullish(),
  enabled: z.boolean().optional(),
});

export const deliveryParams = z.strictObject({ id: z.uuid(), deliveryId: z.uuid() });

export const endpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  format: z.enum(['standard', 'slack', 'teams']),
  enabled: z.boolean(),
  disabledReason: z
    .string()
    .nullable()
    .describe(
      'Why Loyaal turned the endpoint off, as stored: `gone` (it answered 410 Gone). Null when it is on or staff turned it off',
    ),
  disabledReasonCode: z
    .enum([...ENDPOINT_DISABLED_REASONS, 'other'])
    .nullable()
    .describe(
      'Stable: `disabledReason` as a code, `other` for a value this version does not know (`disabledReason` keeps it)',
    ),
  rotating: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const endpointWithSecretSchema = endpointSchema.extend({
  secret: z.string().describe('The whsec_ signing secret. Shown only in this answer.'),
});

const reasonSchema = z
  .object({
    code: z
      .enum(DELIVERY_REASON_CODES)
      .describe('Stable: why the attempt did not succeed (`other` when not recognised)'),
    text: z.string().describe('What happened, in English (`HTTP 503` for an error status)'),
  })
  .nullable()
  .describe('Null for a successful attempt');

export const deliverySchema = z.object({
  id: z.string(),
  messageId: z.string(),
  eventType: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastDurationMs: z.number().nullable(),
  lastError: z.string().nullable(),
  lastReason: reasonSchema,
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  log: z.array(
    z.object({
      at: z.string(),
      statusCode: z.number().nullable(),
      durationMs: z.number(),
      error: z.string().nullable(),
      reason: reasonSchema,
    }),
  ),
});
