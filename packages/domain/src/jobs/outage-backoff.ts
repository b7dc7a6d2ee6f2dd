import { isDatabaseUnavailable } from '../db/database-errors.ts';

/** The longest wait between two attempts of a background loop while the database is unreachable (ms). */
export const maxOutageWaitMs = 5000;

/**
 * How long a background loop waits before its next pass while the database is unreachable: its
 * idle interval, doubled after each pass that met the outage, up to `maxOutageWaitMs`; back to
 * the idle interval after a pass that did not. Without it an outage cost a pass (and an error
 * line with its stack) per idle interval in each loop: 34 lines a second (attack, session 16).
 * Other failures (a job's own, already retried with its own backoff) do not slow the loop.
 */
export class OutageBackoff {
  private failures = 0;
  private failedThisPass = false;
  private readonly idleMs: number;

  /** `idleMs`: the loop's wait after a pass with nothing to do (ms). */
  constructor(idleMs: number) {
    this.idleMs = idleMs;
  }

  /** Notes a pass's error; true when it says the database is unreachable. */
  noteError(error: unknown): boolean {
    const outage = isDatabaseUnavailable(error);
    if (outage) this.failedThisPass = true;
    return outage;
  }

  /** Ends a pass: the wait before the next one if it met the outage, else undefined (and the count starts over). */
  endPass(): number | undefined {
    const failed = this.failedThisPass;
    this.failedThisPass = false;
    if (!failed) {
      this.failures = 0;
      return undefined;
    }
    this.failures += 1;
    return Math.min(maxOutageWaitMs, this.idleMs * 2 ** this.failures);
  }
}
