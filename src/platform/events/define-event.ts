import type { z } from 'zod';
import type {
  EventEnvelope,
  EventType,
  GatheredSubscriber,
  JobSubscriber,
  Subscriber,
  TransactionContext,
  TransactionSubscriber,
} from '../contract.ts';

export function defineEvent<S extends z.ZodType<Record<string, unknown>>>(
  name: string,
  data: S,
): EventType<z.output<S>> {
  return { name, data: data as unknown as z.ZodType<z.output<S>> };
}

/** Subscribes inside the emitting transaction. */
export function inTransaction<D>(
  event: EventType<D>,
  name: string,
  handle: TransactionSubscriber<D>['handle'],
): TransactionSubscriber<D> {
  return { kind: 'transaction', name, event, handle };
}

/**
 * Subscribes inside the emitting transaction to several events at once, handled together when the
 * emit that started the cascade finishes (see `GatheredSubscriber`).
 */
export function gatheredInTransaction(
  events: readonly EventType<unknown>[],
  name: string,
  handle: GatheredSubscriber['handle'],
): GatheredSubscriber {
  return { kind: 'gathered', name, events, handle };
}

/** Subscribes after commit, one retried job per event. */
export function afterCommit<D>(
  event: EventType<D>,
  name: string,
  options: {
    run: JobSubscriber<D>['run'];
    maxAttempts?: number;
    retryDelayMs?: (attempt: number) => number;
  },
): JobSubscriber<D> {
  return {
    kind: 'job',
    name,
    event,
    run: options.run,
    maxAttempts: options.maxAttempts ?? 8,
    ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
  };
}

/** The job type under which an after-commit subscriber's deliveries run. */
export const subscriberJobType = (subscriberName: string): string => `event:${subscriberName}`;

export type {
  EventEnvelope,
  EventType,
  GatheredSubscriber,
  JobSubscriber,
  Subscriber,
  TransactionContext,
  TransactionSubscriber,
};
