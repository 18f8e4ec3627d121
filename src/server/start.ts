import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { openConfiguredDatabase } from '../db/open-configured-database.ts';
import { openReplica, type Replica } from '../db/replica.ts';
import { modules } from '../modules/index.ts';
import type { Deps } from '../platform/deps.ts';
import { startWorker, type Worker } from '../platform/jobs/worker.ts';
import { createMetrics } from '../platform/metrics.ts';
import { buildPlatform, type Platform } from '../platform/platform.ts';
import { buildApp } from './app.ts';
import { serverLoggerOptions } from './log-redaction.ts';

/** The platform of this installation: every module in `src/modules/index.ts`. */
export const platform: Platform = buildPlatform(modules);

export function makeDeps(db: Db, config: Config, replica?: Replica): Deps {
  return {
    db,
    config,
    now: () => Date.now(),
    platform,
    ...(replica ? { replica } : {}),
    ...(config.METRICS_TOKEN ? { metrics: createMetrics(db, replica) } : {}),
  };
}

/** `loyaal serve`: the HTTP server, with the job worker in-process unless WORKER=off. */
export async function serve(
  config: Config = loadConfig(),
): Promise<{ app: FastifyInstance; worker: Worker | null; close(): Promise<void> }> {
  const db = await openConfiguredDatabase(config, { backgroundCheckpoint: true });
  const replica = config.DATABASE_REPLICA_URL
    ? await openReplica(config.DATABASE_REPLICA_URL, {
        maxLagMs: config.REPLICA_MAX_LAG_MS,
        poolSize: config.DATABASE_POOL_SIZE,
      })
    : undefined;
  const deps = makeDeps(db, config, replica);
  const app = await buildApp(deps, {
    // Requests are logged with the tokens of public links masked and without headers.
    logger: serverLoggerOptions(config.LOG_LEVEL),
    serveAdmin: true,
  });
  db.onConnectionError((error) =>
    app.log.warn({ error: error.message }, 'database connection lost; reconnecting on next use'),
  );
  await app.listen({ port: config.PORT, host: config.HOST });
  const worker =
    config.WORKER === 'inline'
      ? startWorker(deps, {
          concurrency: config.WORKER_CONCURRENCY,
          leaseMs: config.WORKER_LEASE_MS,
          log: (m, d) => app.log.warn(d ?? {}, m),
        })
      : null;
  return {
    app,
    worker,
    async close() {
      await worker?.stop();
      await app.close();
      await replica?.close();
      await db.close();
    },
  };
}
