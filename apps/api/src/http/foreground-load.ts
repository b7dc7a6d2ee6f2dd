import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** Event loop utilization (0-1) from which a process serving requests counts as busy. */
export const busyUtilization = 0.8;

/** The shortest window a verdict is measured over (ms); asked sooner, the last verdict stands. */
const windowMs = 100;

/**
 * Whether this API process is busy serving requests: over the last window (at least 100 ms), its
 * event loop was active `busyUtilization` of the time or more, and it answered at least one
 * request. Background work of the process (webhook deliveries) asks it before taking more, and
 * steps back while it is true, so that tagging requests keep the CPU (issue 17; DECISIONS.md,
 * "Deliveries step back while requests are busy").
 *
 * Both conditions, because each alone is wrong: the event loop counts time a starved process
 * waits for a CPU as active, so on a machine saturated by the requests and their database work it
 * reads ~0.95; but deliveries draining a backlog with no request in sight can make it high too,
 * and must not then slow themselves down. Costs one counter increment per response
 * (`noteResponse`, from a hook of the server) and one `eventLoopUtilization` per window.
 */
export class ForegroundLoad {
  #responses = 0;
  #responsesAtSample = 0;
  #sample: EventLoopUtilization = performance.eventLoopUtilization();
  #sampledAt = performance.now();
  #busy = false;

  /** Counts one answered request (the server's `onResponse` hook). */
  noteResponse(): void {
    this.#responses += 1;
  }

  /** True while the process is busy serving requests (see the class's comment). */
  isBusy(): boolean {
    const now = performance.now();
    if (now - this.#sampledAt < windowMs) return this.#busy;
    const window = performance.eventLoopUtilization(this.#sample);
    this.#busy = window.utilization >= busyUtilization && this.#responses > this.#responsesAtSample;
    this.#sample = performance.eventLoopUtilization();
    this.#sampledAt = now;
    this.#responsesAtSample = this.#responses;
    return this.#busy;
  }
}
