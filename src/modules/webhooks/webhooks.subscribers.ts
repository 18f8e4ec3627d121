import type { Subscriber } from '../../platform/contract.ts';
import { gatheredInTransaction } from '../../platform/events/define-event.ts';
import { WEBHOOK_SOURCES } from './webhook-catalogue.ts';
import { fanOut } from './webhooks.service.ts';

const sourceOf = new Map(WEBHOOK_SOURCES.map((source) => [source.event.name, source]));

/**
 * One subscriber for every source event of the catalogue, gathered: an answer batch, the cases it
 * opened and the cases it changed fan out together — one lookup of the endpoints, one insert of
 * deliveries and one of jobs per organisation — and each endpoint's job holds the batch's
 * deliveries in the order of their events (an answer before the case it opened).
 */
export const webhookFanOut: Subscriber = gatheredInTransaction(
  WEBHOOK_SOURCES.map((source) => source.event),
  'webhooks.fan-out',
  async (trx, events, ctx) => {
    const items = [];
    for (const e of events) {
      const hook = sourceOf.get(e.name)?.toWebhook(e);
      if (hook)
        items.push({
          organisationId: e.organisationId,
          type: hook.type,
          occurredAt: e.occurredAt,
          data: hook.data,
        });
    }
    if (items.length > 0) await fanOut(trx, items, ctx.now);
  },
);
