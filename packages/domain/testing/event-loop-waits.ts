/**
 * Watches this process's event loop with a 5 ms timer. `stop()` returns the longest the timer
 * waited (ms) since the watch began, counting up to the stop (a timer that never fired waited for
 * all of it): what a request arriving then would have waited before it was even read. Used by the
 * tests of the embedded database's turns (`db/pglite-turns.ts`).
 */
export function watchEventLoop(): { stop: () => number } {
  let last = performance.now();
  let longest = 0;
  const ticks = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  return {
    stop: () => {
      clearInterval(ticks);
      return Math.max(longest, performance.now() - last);
    },
  };
}
