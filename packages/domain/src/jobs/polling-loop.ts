import { OutageBackoff } from './outage-backoff.ts';

/** A loop started by `startPollingLoop`; `stop` waits for the pass in flight. */
export type PollingLoop = { stop: () => Promise<void> };

export type PollingLoopOptions = {
  /**
   * One pass over the work; resolves true when it did some (the next pass then starts at once).
   * It catches its own errors and hands them to `reportError` (the loop's `onError`, which also
   * notes an unreachable database for the loop's backoff); `isStopped` lets it end early at a
   * safe boundary.
   */
  pass: (isStopped: () => boolean, reportError: (error: unknown) => void) => Promise<boolean>;
  /** How long to wait after a pass that found nothing (ms). */
  idleMs: number;
  /** Deletes what is past its retention: at the first pass, then every `cleanupEveryMs`. */
  cleanup: () => Promise<unknown>;
  cleanupEveryMs: number;
  onError?: (error: unknown) => void;
};

/**
 * The background loops of an API process (durable queues, change events): passes until
 * stopped, idling when there is nothing to do, with a periodic clean-up. The first clean-up runs
 * at start, so a process that was down for days catches up at once. While the database is
 * unreachable the wait between passes grows to a few seconds (`OutageBackoff`).
 */
export function startPollingLoop(options: PollingLoopOptions): PollingLoop {
  let stopped = false;
  let wake: (() => void) | undefined;
  let nextCleanupAt = 0;
  const isStopped = () => stopped;
  const backoff = new OutageBackoff(options.idleMs);
  const reportError = (error: unknown) => {
    backoff.noteError(error);
    options.onError?.(error);
  };
  const loop = (async () => {
    while (!stopped) {
      const worked = await options.pass(isStopped, reportError);
      if (!stopped && Date.now() >= nextCleanupAt) {
        nextCleanupAt = Date.now() + options.cleanupEveryMs;
        await options.cleanup().catch(reportError);
      }
      const outageWait = backoff.endPass();
      if ((!worked || outageWait !== undefined) && !stopped)
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, outageWait ?? options.idleMs);
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
