import { sql } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/database.ts';
import type { Replica } from '../db/replica.ts';

/**
 * Prometheus metrics of one Loyaal process (`GET /metrics` on the server, `METRICS_PORT` on a
 * separate worker). Counters are per process — Prometheus sums them over processes; the job queue
 * gauges are read from the database at scrape time, so every process reports the same queue.
 */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  jobsFinished: Counter<'type' | 'outcome'>;
}

export function createMetrics(db: Db, replica?: Replica): Metrics {
  const registry = new Registry();
  if (replica) {
    new Gauge({
      name: 'loyaal_replica_up',
      help: 'Whether the read replica answered its last check (1) or dashboards read the primary (0)',
      registers: [registry],
      collect() {
        this.set(replica.status().available ? 1 : 0);
      },
    });
    new Gauge({
      name: 'loyaal_replica_lag_seconds',
      help: 'How far the read replica replays behind what it received (-1 when unknown)',
      registers: [registry],
      collect() {
        const lag = replica.status().lagMs;
        this.set(lag === null ? -1 : lag / 1000);
      },
    });
  }
  collectDefaultMetrics({ register: registry, prefix: 'loyaal_process_' });
  const httpRequests = new Counter({
    name: 'loyaal_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'loyaal_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const jobsFinished = new Counter({
    name: 'loyaal_jobs_finished_total',
    help: 'Jobs this process ran, by type and outcome (success, skipped, retry, failed); the email send rate is rate(...{type="invitation.send",outcome="success"})',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'loyaal_jobs_due',
    help: 'Jobs due now and not yet claimed, by type (the queue a worker has to work through)',
    labelNames: ['type'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const now = Date.now();
      const rows = await db.kysely
        .selectFrom('jobs')
        .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'queued')
        .where('run_at', '<=', now)
        .groupBy('type')
        .execute();
      for (const r of rows) this.set({ type: r.type }, Number(r.n));
    },
  });
  new Gauge({
    name: 'loyaal_jobs_oldest_due_age_seconds',
    help: 'How long the oldest due job has waited (0 when none is waiting)',
    registers: [registry],
    async collect() {
      const now = Date.now();
      const row = await sql<{ oldest: number | null }>`
        select min(run_at) as oldest from jobs where status = 'queued' and run_at <= ${now}`.execute(
        db.kysely,
      );
      const oldest = row.rows[0]?.oldest;
      this.set(oldest ? (now - Number(oldest)) / 1000 : 0);
    },
  });
  new Gauge({
    name: 'loyaal_jobs_running',
    help: 'Jobs claimed by a worker and running',
    registers: [registry],
    async collect() {
      const row = await db.kysely
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'running')
        .executeTakeFirst();
      this.set(Number(row?.n ?? 0));
    },
  });
  return { registry, httpRequests, httpDuration, jobsFinished };
}
