import type { Database } from '../db/database.ts';
import { deleteExpiredEvents, type EventRetention } from './event-feed.ts';
import { hasUnnumberedEvents, sequenceEvents } from './event-sequencer.ts';
import { startPollingLoop, type PollingLoop } from '../jobs/polling-loop.ts';
import { vacuumQueueTable } from '../db/table-maintenance.ts';

const day = 24 * 60 * 60 * 1000;

/** Passes in a row that numbered nothing before the worker counts as idle (a second at 50 ms). */
const idlePasses = 20;

export type EventWorkerOptions = {
  /** How often the sequencer looks for committed, unnumbered events (ms; default 50). */
  sequenceEveryMs?: number;
  /** How long events and finished deliveries are kept (default 30 days and 7 days). */
  retention?: EventRetention;
  /** How often this process deletes what is past its retention (ms; default a minute). */
  cleanupEveryMs?: number;
  /**
   * Events this process numbers before it vacuums the event table once it falls idle (default
   * 5,000; see `startEventWorker`).
   */
  idleVacuumAfter?: number;
  /** Runs after each sequencing pass with how many events it numbered; resolves true when it did work. */
  afterSequencing?: (numbered: number) => Promise<boolean>;
  onError?: (error: unknown) => void;
};

export type EventWorker = PollingLoop;

export const defaultEventRetention: EventRetention = { eventRetentionMs: 30 * day, deliveryRetentionMs: 7 * day };

/**
 * Runs in every API process: numbers committed events (one process at a time, see
 * `event-sequencer.ts`), then hands over to `afterSequencing` (webhook deliveries), and now and
 * then deletes events past their retention. `stop` waits for the pass in flight.
 *
 * Every event numbered leaves a dead entry in the partial index of unnumbered events, which the
 * idle probe (`hasUnnumberedEvents`) steps over twenty times a second until a vacuum; the table's
 * vacuum threshold scales with its size (a tenth of its rows), so after a burst an idle process
 * paid for it until the next burst (50,000 dead entries: 468 buffers, 1-13 ms a probe). Once the
 * worker has numbered `idleVacuumAfter` events and then a second of passes found nothing, it
 * vacuums the table once, beside its passes (docs/PERFORMANCE-HISTORY.md, "Eleventh round"). On
 * PGlite, one connection, the passes wait for it all the same.
 */
export function startEventWorker(db: Database, options: EventWorkerOptions = {}): EventWorker {
  const everyMs = options.sequenceEveryMs ?? 50;
  const cleanupEveryMs = options.cleanupEveryMs ?? 60_000;
  const retention = options.retention ?? defaultEventRetention;
  const idleVacuumAfter = options.idleVacuumAfter ?? 5000;
  let numberedSinceVacuum = 0;
  // Passes in a row that numbered nothing (0 at start, so the first pass runs the sequencer).
  let emptyPasses = 0;
  let vacuuming: Promise<void> | undefined;
  const loop = startPollingLoop({
    pass: async (isStopped, reportError) => {
      let numbered = 0;
      try {
        // After a pass that numbered nothing, a probe of one statement asks whether anything waits
        // before the sequencer's transaction is opened: an idle pass is one round trip, not five.
        if (emptyPasses === 0 || (await hasUnnumberedEvents(db))) numbered = await sequenceEvents(db);
      } catch (error) {
        reportError(error);
      }
      numberedSinceVacuum += numbered;
      emptyPasses = numbered > 0 ? 0 : emptyPasses + 1;
      if (emptyPasses === idlePasses && numberedSinceVacuum >= idleVacuumAfter && !vacuuming && !isStopped()) {
        numberedSinceVacuum = 0;
        // Not awaited: the next passes number what is written meanwhile (a vacuum, on its own
        // connection, blocks no row write); awaited, it held numbering up for its whole run (attack,
        // session 18: 0.4-1.2 s on a 1.16M-event table). `stop` waits for it.
        vacuuming = vacuumQueueTable(db, 'event')
          .catch(reportError)
          .finally(() => (vacuuming = undefined));
      }
      // A full batch means more are waiting: go on without sleeping.
      let busy = numbered >= 5000;
      if (options.afterSequencing && !isStopped())
        busy = (await options.afterSequencing(numbered).catch((error: unknown) => (reportError(error), false))) || busy;
      return busy;
    },
    idleMs: everyMs,
    cleanup: () => deleteExpiredEvents(db, retention),
    cleanupEveryMs,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return {
    stop: async () => {
      await loop.stop();
      await vacuuming;
    },
  };
}
