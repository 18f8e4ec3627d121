import type { Executor } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import type { Deps } from '../deps.ts';
import { insertJobs } from '../jobs/jobs.repository.ts';
import {
  subscriberJobType,
  type EventEnvelope,
  type EventType,
  type GatheredSubscriber,
} from './define-event.ts';

export interface Occurrence<D> {
  organisationId: string;
  data: D;
}

/**
 * The emits running in one transaction right now (`depth`: the first and those its subscribers
 * made inside it), and what they gathered for each gathered subscriber, in emission order.
 */
interface Cascade {
  depth: number;
  gathered: Map<GatheredSubscriber, EventEnvelope<unknown>[]>;
}

const cascades = new WeakMap<Executor, Cascade>();

/**
 * Emits events inside the caller's transaction, the one that made them happen. In-transaction
 * subscribers run now, with all the occurrences at once; every after-commit subscriber gets one job
 * per occurrence in the job table (the transactional outbox), so the events exist if and only if
 * their cause commits, and a subscriber that fails is retried on its own. Gathered subscribers get
 * the occurrences when this emit and every emit made inside it (by its subscribers) have finished,
 * all at once and in emission order: an answer batch and the case events it caused reach the
 * webhook fan-out as one list.
 */
export async function emit<D>(
  trx: Executor,
  deps: Deps,
  event: EventType<D>,
  occurrences: readonly Occurrence<D>[],
  now: number,
): Promise<void> {
  const subscribers = deps.platform.subscribersOf(event.name);
  if (occurrences.length === 0 || subscribers.length === 0) return;
  const envelopes: EventEnvelope<D>[] = occurrences.map((o) => ({
    id: newId(),
    name: event.name,
    organisationId: o.organisationId,
    occurredAt: now,
    data: o.data,
  }));
  // Outside a transaction, two emits may run at once on the same executor: nothing is shared, and
  // this emit is a cascade of its own.
  let cascade = trx.isTransaction ? cascades.get(trx) : undefined;
  if (!cascade) {
    cascade = { depth: 0, gathered: new Map() };
    if (trx.isTransaction) cascades.set(trx, cascade);
  }
  cascade.depth++;
  try {
    // Gathered before the subscribers run, so the cause comes before what its subscribers emit.
    for (const subscriber of subscribers) {
      if (subscriber.kind !== 'gathered') continue;
      const list = cascade.gathered.get(subscriber) ?? [];
      list.push(...(envelopes as EventEnvelope<unknown>[]));
      cascade.gathered.set(subscriber, list);
    }
    for (const subscriber of subscribers) {
      if (subscriber.kind === 'transaction') {
        await subscriber.handle(trx, envelopes, { deps, now });
      } else if (subscriber.kind === 'job') {
        await insertJobs(
          trx,
          envelopes.map((e) => ({
            type: subscriberJobType(subscriber.name),
            payload: JSON.stringify(e),
            organisationId: e.organisationId,
            runAt: now,
            maxAttempts: subscriber.maxAttempts,
            createdAt: now,
            dedupeKey: null,
          })),
        );
      }
    }
    // The last emit of the cascade to finish hands over what was gathered (and what a gathered
    // subscriber itself emits is handed over in the next round).
    while (cascade.depth === 1 && cascade.gathered.size > 0) {
      const round = [...cascade.gathered];
      cascade.gathered.clear();
      for (const [subscriber, gathered] of round) {
        await subscriber.handle(trx, gathered, { deps, now });
      }
    }
  } finally {
    cascade.depth--;
    if (cascade.depth === 0) cascades.delete(trx);
  }
}
