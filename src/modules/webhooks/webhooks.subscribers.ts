import type { Subscriber } from '../../platform/contract.ts';
import { inTransaction } from '../../platform/events/define-event.ts';
import { WEBHOOK_SOURCES } from './webhook-catalogue.ts';
import { fanOut } from './webhooks.service.ts';

/** One in-transaction subscriber per source event of the catalogue. */
export const webhookSubscribers: readonly Subscriber<unknown>[] = WEBHOOK_SOURCES.map((source) =>
  inTransaction(source.event, `webhooks.fan-out:${source.event.name}`, async (trx, events, ctx) => {
    const items = [];
    for (const e of events) {
      const hook = source.toWebhook(e);
      if (hook)
        items.push({
          organisationId: e.organisationId,
          type: hook.type,
          occurredAt: e.occurredAt,
          data: hook.data,
        });
    }
    if (items.length > 0) await fanOut(trx, items, ctx.now);
  }),
);
