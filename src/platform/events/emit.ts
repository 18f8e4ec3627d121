import type { Executor } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import type { Deps } from '../deps.ts';
import { insertJobs } from '../jobs/jobs.repository.ts';
import { subscriberJobType, type EventEnvelope, type EventType } from './define-event.ts';

export interface Occurrence<D> {
  organisationId: string;
  data: D;
}

/**
 * Emits events inside the caller's transaction, the one that made them happen. In-transaction
 * subscribers run now, with all the occurrences at once; every after-commit subscriber gets one job
 * per occurrence in the job table (the transactional outbox), so the events exist if and only if
 * their cause commits, and a subscriber that fails is retried on its own.
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
  for (const subscriber of subscribers) {
    if (subscriber.kind === 'transaction') {
      await subscriber.handle(trx, envelopes, { deps, now });
    } else {
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
}
