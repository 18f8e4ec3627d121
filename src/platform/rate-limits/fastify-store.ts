import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RateCounter } from './rate-counter.ts';

type IncrCallback = Parameters<FastifyRateLimitStore['incr']>[1];

/**
 * `@fastify/rate-limit`'s store over a `RateCounter`. The plugin gives each route's limit a child
 * store; its keys are prefixed with the route (method and URL), as the plugin's own per-route
 * memory stores keep them apart.
 */
export function rateLimitStore(counter: RateCounter): FastifyRateLimitStoreCtor {
  class CounterStore implements FastifyRateLimitStore {
    readonly #scope: string;

    constructor(_options: unknown, scope = 'global') {
      this.#scope = scope;
    }

    incr(key: string, callback: IncrCallback, timeWindow: number): void {
      counter.hit(`${this.#scope}|${key}`, timeWindow, Date.now()).then(
        (r) => callback(null, { current: r.count, ttl: Math.max(0, r.resetInMs) }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // The plugin passes the merged limit options with the route under `routeInfo`.
      const info =
        (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ??
        {};
      const method = [info.method ?? ''].flat().join(',');
      return new CounterStore(undefined, `${method} ${info.url ?? ''}`);
    }
  }
  return CounterStore;
}
