import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '@tagging/domain';
import { readJobQueues } from './job-queue-gauges.ts';
import { readPoolUsage } from './pool-usage.ts';

/** What a request adds to the metrics: one histogram observation, and one count if it failed. */
export type RequestMetrics = {
  observe: (labels: { method: string; route: string; status: number }, seconds: number) => void;
};

/**
 * Process metrics (CPU, memory, event loop lag, GC) describe the process, not a server: one set
 * per process, shared by every server built in it (tests build many).
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * `GET /metrics` in the Prometheus text format. Requests are counted as they complete; the
 * database's pool and the job queues are read when scraped (one query per scrape), so an idle
 * server costs nothing between scrapes.
 */
export function registerMetrics(app: FastifyInstance, db: Database): RequestMetrics {
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status_code'] as const;
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer a request, by method, route pattern and status code (its _count is the request rate)',
    labelNames,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'http_request_errors_total',
    help: 'Responses with a 4xx or 5xx status, by method, route pattern and status code',
    labelNames,
    registers: [registry],
  });
  const dbUp = new Gauge({
    name: 'tagging_db_up',
    help: '1 when the database answered the last scrape’s queue query, 0 when it did not',
    registers: [registry],
  });
  const jobsPending = new Gauge({
    name: 'tagging_jobs_pending',
    help: 'Unfinished (pending or running) background jobs, by queue',
    labelNames: ['queue'],
    registers: [registry],
  });
  const oldestJobAge = new Gauge({
    name: 'tagging_jobs_oldest_pending_age_seconds',
    help: 'Age of the oldest unfinished background job, by queue (0 when the queue is empty)',
    labelNames: ['queue'],
    registers: [registry],
  });
  // Only a PostgreSQL server target has a pool (PGlite is one connection inside the process).
  const pool =
    db.target.kind === 'postgres'
      ? {
          connections: new Gauge({
            name: 'tagging_db_pool_connections',
            help: 'Open connections of this process’s PostgreSQL pool, in use by a query or idle',
            labelNames: ['state'],
            registers: [registry],
          }),
          max: new Gauge({
            name: 'tagging_db_pool_max_connections',
            help: 'The most connections the pool opens (DATABASE_POOL_SIZE)',
            registers: [registry],
          }),
          waiting: new Gauge({
            name: 'tagging_db_pool_waiting_requests',
            help: 'Queries waiting for a free connection of the pool',
            registers: [registry],
          }),
        }
      : undefined;

  /** Reads what is read on scrape, before the registry renders (its collectors run in parallel). */
  async function refresh(): Promise<void> {
    try {
      for (const state of await readJobQueues(db)) {
        jobsPending.set({ queue: state.queue }, state.depth);
        oldestJobAge.set({ queue: state.queue }, state.oldestAgeSeconds);
      }
      dbUp.set(1);
    } catch {
      // A scrape during an outage still answers: the queues are unknown, the database down.
      jobsPending.reset();
      oldestJobAge.reset();
      dbUp.set(0);
    }
    const usage = pool && (await readPoolUsage(db).catch(() => undefined));
    if (pool && usage) {
      pool.connections.set({ state: 'in_use' }, usage.total - usage.idle);
      pool.connections.set({ state: 'idle' }, usage.idle);
      pool.max.set(usage.max);
      pool.waiting.set(usage.waiting);
    }
  }

  const exposed = Registry.merge([processMetrics(), registry]);
  app.get('/metrics', async (_req, reply) => {
    await refresh();
    return reply.type(exposed.contentType).send(await exposed.metrics());
  });

  return {
    observe: ({ method, route, status }, seconds) => {
      const labels = { method, route, status_code: status };
      duration.observe(labels, seconds);
      if (status >= 400) errors.inc(labels);
    },
  };
}
