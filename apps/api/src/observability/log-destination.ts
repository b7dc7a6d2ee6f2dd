import pino from 'pino';

/** How long a buffered log line waits at most before it is written (ms). */
export const logFlushIntervalMs = 1000;

/**
 * Where the server's JSON lines go: stdout, through pino's own destination (sonic-boom).
 * With `bufferBytes` > 0, lines are gathered up to that many bytes, and for at most
 * `logFlushIntervalMs`, then written at once: the per-request line otherwise costs a write
 * system call per request (measured: about 6 % of the service's CPU on the hot routes,
 * docs/PERFORMANCE.md). Pino flushes what is left when the process exits; a SIGKILL loses at
 * most the last second. With 0, every line is written synchronously as it is logged.
 */
export function logDestination(bufferBytes: number): ReturnType<typeof pino.destination> {
  if (bufferBytes === 0) return pino.destination({ dest: 1, sync: true });
  return pino.destination({ dest: 1, sync: false, minLength: bufferBytes, periodicFlush: logFlushIntervalMs });
}
