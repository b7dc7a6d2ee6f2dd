import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PGlite } from '@electric-sql/pglite';

/**
 * What the project uses of PGlite beyond its public query API: the locks its `query` takes.
 * `_runExclusiveQuery` is the entry point of every statement (its `query`, `exec`,
 * transactions, and `prepared-statements.ts`).
 */
export type PgliteInternals = PGlite & {
  _runExclusiveQuery: <R>(fn: () => Promise<R>) => Promise<R>;
  _runExclusiveTransaction: <R>(fn: () => Promise<R>) => Promise<R>;
};

/** How long statements may run back to back on this thread before the event loop gets a turn (ms). */
export const pgliteTurnMs = 10;

/**
 * Embedded PGlite runs each statement on this thread, synchronously, and resolves it through
 * promises only. A chain of statements (an export's batches, a propagation's, a bulk request's)
 * therefore never lets the event loop read a socket or fire a timer until the whole chain ends:
 * every other request waits, `/healthz` included (black-box test, session 12: 3.4 s for one
 * export of 200,000 contacts, 40 s on a loaded machine). With this, a statement that ends when
 * the thread has run `pgliteTurnMs` or more since the last turn waits for one turn of the event
 * loop (`setImmediate`: after the pending I/O), so a request that does not need the database
 * waits at most for one statement plus `pgliteTurnMs`; one that does also waits for the
 * transaction in progress (PGlite is one connection). Measured in docs/DECISIONS.md. Relies on
 * PGlite's internal `_runExclusiveQuery` (the pinned 0.5.x); were it renamed, the `bind` below
 * would throw at start-up. A PostgreSQL server needs none of this: its statements run elsewhere.
 */
export function giveTurnsBetweenStatements(pglite: PGlite): void {
  const instance = pglite as PgliteInternals;
  const run = instance._runExclusiveQuery.bind(instance);
  let lastTurn = performance.now();
  instance._runExclusiveQuery = async <R>(fn: () => Promise<R>): Promise<R> => {
    const result = await run(fn);
    if (performance.now() - lastTurn >= pgliteTurnMs) {
      await nextTurn();
      lastTurn = performance.now();
    }
    return result;
  };
}
