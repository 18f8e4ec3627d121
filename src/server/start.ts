import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { startWorker, type Worker } from '../jobs/worker.ts';
import { registerAllJobHandlers } from '../jobs/handlers.ts';
import { buildApp } from './app.ts';
import { serializeRequest } from './log-redaction.ts';
import type { Deps } from './deps.ts';

/** Opens the database named by the configuration and brings it to the latest schema. */
export async function openConfiguredDatabase(config: Config): Promise<Db> {
  const db = await openDatabase(config.DATABASE_URL);
  await migrateToLatest(db);
  return db;
}

export function makeDeps(db: Db, config: Config): Deps {
  return { db, config, now: () => Date.now() };
}

/** `loyaal serve`: the HTTP server, with the job worker in-process unless WORKER=off. */
export async function serve(
  config: Config = loadConfig(),
): Promise<{ app: FastifyInstance; worker: Worker | null; close(): Promise<void> }> {
  const db = await openConfiguredDatabase(config);
  const deps = makeDeps(db, config);
  registerAllJobHandlers();
  const app = await buildApp(deps, {
    logger: {
      level: config.LOG_LEVEL,
      // Requests are logged with the tokens of public links masked and without headers.
      serializers: { req: serializeRequest },
    },
    serveAdmin: true,
  });
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
      await db.close();
    },
  };
}
