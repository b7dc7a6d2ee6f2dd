import type { Database } from '../db/database.ts';
import { runExportBatch } from '../exports/contact-exports.ts';
import { runPropagationBatch } from './propagation-worker.ts';

export type BackgroundWorkerOptions = {
  /** Sessions per propagation batch. */
  batchSize?: number;
  /** Contacts per export batch. */
  exportBatchSize?: number;
  /** How long to wait when there is nothing to do. */
  idleMs?: number;
  onError?: (error: unknown) => void;
};

export type BackgroundWorker = { stop: () => Promise<void> };

/**
 * Works the durable queues (propagations, exports) of this process until stopped, one batch
 * (one transaction) at a time; `stop` waits for the batch in flight, a batch boundary.
 */
export function startBackgroundWorker(db: Database, options: BackgroundWorkerOptions = {}): BackgroundWorker {
  // An idle poll is two index probes; 100 ms keeps a queued job's start well under the request
  // latencies it replaces.
  const idleMs = options.idleMs ?? 100;
  const runners = [() => runPropagationBatch(db, options.batchSize), () => runExportBatch(db, options.exportBatchSize)];
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      let worked = false;
      for (const run of runners) {
        if (stopped) break;
        try {
          worked = (await run()) || worked;
        } catch (error) {
          options.onError?.(error);
        }
      }
      if (!worked && !stopped)
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, idleMs);
        });
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
