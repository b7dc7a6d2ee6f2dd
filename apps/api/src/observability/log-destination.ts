import pino from 'pino';

/** How long a buffered log line waits at most before it is written (ms). */
export const logFlushIntervalMs = 1000;

/**
 * Where the server's JSON lines go: `fd` (stdout by default), through pino's own destination
 * (sonic-boom). With `bufferBytes` > 0, lines are gathered up to that many bytes, and for at most
 * `logFlushIntervalMs`, then written at once: the per-request line otherwise costs a write
 * system call per request (measured: about 6 % of the service's CPU on the hot routes,
 * docs/PERFORMANCE.md). What is left is written when the process exits; a SIGKILL loses at
 * most the last second. With 0, every line is written as it is logged.
 *
 * The write is synchronous, on the main thread, as pino's default destination's: an
 * asynchronous one hands each write to libuv's thread pool, waking a worker thread and then
 * the event loop again: up to 20 % more Node CPU on a read with a large answer, inside the
 * noise on small ones (docs/PERFORMANCE-HISTORY.md, ninth round). A destination that blocks (a full
 * pipe nobody reads) then holds the event loop, as pino's default does.
 */
export function logDestination(bufferBytes: number, fd = 1): ReturnType<typeof pino.destination> {
  const destination = pino.destination({
    dest: fd,
    sync: true,
    minLength: bufferBytes,
    periodicFlush: bufferBytes > 0 ? logFlushIntervalMs : 0,
  });
  // Pino flushes an asynchronous destination at exit by itself, a synchronous one it does not.
  const flushAtExit = () => {
    // A destroyed destination (set by `destroy()`, which sonic-boom's types do not declare) has
    // nothing left to write.
    if (!(destination as { destroyed?: boolean }).destroyed) destination.flushSync();
  };
  process.once('exit', flushAtExit);
  destination.once('close', () => process.off('exit', flushAtExit));
  return destination;
}
