import type { Database } from '@tagging/domain';
import { readPoolUsage } from '../src/observability/pool-usage.ts';

/** The most connections of a pool busy at once, and the most callers waiting for one. */
export type PoolPeak = { busiest: number; waiting: number };

/**
 * Samples a PostgreSQL target's pool (busy and waiting connections) on every turn of the event
 * loop until `stop`, which resolves to the peaks seen. PGlite has no pool: zero peaks.
 */
export function watchPool(db: Database): { stop: () => Promise<PoolPeak> } {
  const peak: PoolPeak = { busiest: 0, waiting: 0 };
  let running = true;
  const watching = (async () => {
    while (running) {
      const usage = await readPoolUsage(db);
      if (usage) {
        peak.busiest = Math.max(peak.busiest, usage.total - usage.idle);
        peak.waiting = Math.max(peak.waiting, usage.waiting);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await watching;
      return peak;
    },
  };
}
