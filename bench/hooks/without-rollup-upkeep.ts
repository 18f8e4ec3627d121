import { registerHooks } from 'node:module';

/**
 * `node --import ./bench/hooks/without-rollup-upkeep.ts src/cli/main.ts serve`: a server whose
 * answers do not keep the NPS rollups (the `response.saved` subscriber does nothing), for the
 * insight bench's reference figure "answers per second without rollup upkeep". Bench-only: the
 * application has no switch for this, on purpose (dashboards would silently fall behind).
 */
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (resolved.url.endsWith('/src/modules/analytics/rollups.subscribers.ts')) {
      return { ...resolved, url: new URL('./rollups-subscribers.stub.ts', import.meta.url).href };
    }
    return resolved;
  },
});
