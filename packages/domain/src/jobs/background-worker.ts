import type { Database } from '../db/database.ts';
import { maintainTables } from '../db/table-maintenance.ts';
import { defaultExportSettings, runExportBatch, type ExportSettings } from '../exports/contact-exports.ts';
import { deleteExpiredBackgroundWork, defaultRetentionSettings, type RetentionSettings } from './job-retention.ts';
import { exportRetryPolicy, propagationRetryPolicy, type RetryPolicy } from './job-retries.ts';
import { dueQueues } from './due-work.ts';
import { startPollingLoop, type PollingLoop } from './polling-loop.ts';
import { runPropagationBatch } from './propagation-worker.ts';

export type BackgroundWorkerOptions = {
  /** Sessions per propagation batch. */
  batchSize?: number;
  /** Contacts per export batch. */
  exportBatchSize?: number;
  /** How long one export is built before the queue is claimed again (ms; default 5,000; see `runExportBatch`). */
  exportSliceMs?: number;
  /** How long to wait when there is nothing to do. */
  idleMs?: number;
  /** Backoff and attempts of failed batches (defaults: `propagationRetryPolicy`, `exportRetryPolicy`). */
  propagationRetry?: RetryPolicy;
  exportRetry?: RetryPolicy;
  /** How long finished jobs are kept. */
  retention?: RetentionSettings;
  /** The exports' settings, whose `expiryMs` says when an export and its file are deleted. */
  exports?: ExportSettings;
  /** How often this process deletes what is past its retention (ms; default a minute). */
  cleanupEveryMs?: number;
  /**
   * How often this process checks the tables' statistics and dead rows, and analyzes or vacuums
   * them when no autovacuum does (ms; default 2 s; `maintainTables`).
   */
  maintenanceEveryMs?: number;
  onError?: (error: unknown) => void;
};

export type BackgroundWorker = PollingLoop;

/**
 * Works the durable queues (propagations, exports) of this process until stopped, one batch
 * (one transaction) at a time, and now and then deletes finished work past its retention;
 * `stop` waits for the batch in flight, a batch boundary. A failed batch has already been
 * recorded with its backoff when it reaches `onError`.
 */
export function startBackgroundWorker(db: Database, options: BackgroundWorkerOptions = {}): BackgroundWorker {
  // An idle poll is two index probes; 100 ms keeps a queued job's start well under the request
  // latencies it replaces.
  const idleMs = options.idleMs ?? 100;
  const cleanupEveryMs = options.cleanupEveryMs ?? 60_000;
  const retention = options.retention ?? defaultRetentionSettings;
  // Often: a busy delivery queue leaves a thousand dead rows in about a second.
  const maintenanceEveryMs = options.maintenanceEveryMs ?? 2000;
  let nextMaintenanceAt = 0;
  const runners = [
    {
      queue: 'propagation' as const,
      run: () => runPropagationBatch(db, options.batchSize, options.propagationRetry ?? propagationRetryPolicy),
    },
    {
      queue: 'exports' as const,
      run: () =>
        runExportBatch(db, {
          ...(options.exportBatchSize === undefined ? {} : { batchSize: options.exportBatchSize }),
          policy: options.exportRetry ?? exportRetryPolicy,
          sliceMs: options.exportSliceMs ?? 5000,
        }),
    },
  ];
  return startPollingLoop({
    pass: async (isStopped, reportError) => {
      let worked = false;
      // Before the queues, so that an export of freshly imported contacts counts them with a
      // plan made from their statistics.
      if (Date.now() >= nextMaintenanceAt) {
        nextMaintenanceAt = Date.now() + maintenanceEveryMs;
        await maintainTables(db).catch((error: unknown) => reportError(error));
      }
      // One probe for both queues; a queue with nothing due is not claimed (an idle pass is one
      // statement). A failed probe (the database unreachable) ends the pass: the next one asks again.
      const due = await dueQueues(db).catch((error: unknown) => {
        reportError(error);
        return { propagation: false, exports: false };
      });
      for (const { queue, run } of runners) {
        if (isStopped()) break;
        if (!due[queue]) continue;
        try {
          worked = (await run()) || worked;
        } catch (error) {
          reportError(error);
        }
      }
      return worked;
    },
    idleMs,
    cleanup: () => deleteExpiredBackgroundWork(db, retention, options.exports ?? defaultExportSettings),
    cleanupEveryMs,
    ...(options.onError ? { onError: options.onError } : {}),
  });
}
