import { describe, expect, it } from 'vitest';
import { EventStreamLimits } from '../src/procedures/events/event-stream-limits.ts';

/**
 * The shared turns of a process's event streams: a full page keeps its turn 100 ms longer while
 * requests keep the process busy, so that catching-up streams step back together (session 25: each
 * stream pausing on its own still kept a turn busy at every moment).
 */
describe('event stream listings', () => {
  /** When each of `count` listings (all started at once) ran, in ms after the start. */
  async function startTimes(busy: boolean, hasMore: boolean, count: number): Promise<number[]> {
    const limits = new EventStreamLimits(100, { isBusy: () => busy });
    const start = performance.now();
    return Promise.all(
      Array.from({ length: count }, () =>
        limits.listing(async () => ({ hasMore, startedAt: performance.now() - start })).then((page) => page.startedAt),
      ),
    );
  }

  it('hold a full page’s turn 100 ms while the process is busy: the third of four listings waits for it', async () => {
    const times = await startTimes(true, true, 4);
    expect(times.slice(0, 2).every((time) => time < 50)).toBe(true);
    expect(times.slice(2).every((time) => time >= 95)).toBe(true);
  });

  it('do not wait when the process is idle, nor after a page that was not full', async () => {
    for (const [busy, hasMore] of [
      [false, true],
      [true, false],
    ] as const)
      expect(Math.max(...(await startTimes(busy, hasMore, 4)))).toBeLessThan(50);
  });
});
