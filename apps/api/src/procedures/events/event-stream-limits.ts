import { setTimeout as sleep } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import { OpenCounts } from '../../http/open-counts.ts';

/** Live event streams a workspace may hold open in one process, by default (`EVENT_STREAMS_PER_WORKSPACE`). */
export const defaultEventStreamsPerWorkspace = 100;

/** Listings of the outbox that one process's streams run at once (each holds a pool connection). */
export const streamListingsAtOnce = 2;

/** How long a full page's listing keeps its turn while requests keep the process busy (ms). */
const catchUpPauseMs = 100;

/**
 * What bounds the live event streams of one process, so that streams replaying the feed cannot
 * take the database pool and the CPU from requests (black-box attack, session 24: thirty streams
 * of one workspace replaying 66,000 events each made another tenant's reads take ~1 s; the rate
 * limit counts a stream once, when it opens):
 * - at most `maxPerWorkspace` streams open per workspace (one more is refused, TOO_MANY_REQUESTS);
 *   the default leaves room for a browser tab per agent of a large team;
 * - their listings of the outbox (read and checked) `streamListingsAtOnce` at a time;
 * - a listing that filled its page (its stream is catching up) keeps its turn `catchUpPauseMs`
 *   longer while the process is busy with requests (`foreground`, as webhook deliveries do), so
 *   that catching-up streams step back together: replays then take at most two pages per
 *   listing time plus 100 ms, whatever their number. When each stream paused on its own
 *   (session 25), thirty of them still kept a turn busy at every moment, and another tenant's
 *   median read went from 3-6 ms to 70-140 ms.
 */
export class EventStreamLimits {
  readonly maxPerWorkspace: number;
  readonly #open = new OpenCounts<number>();
  readonly #listings: LimitFunction = pLimit(streamListingsAtOnce);
  readonly #foreground: { isBusy: () => boolean } | undefined;

  constructor(maxPerWorkspace = defaultEventStreamsPerWorkspace, foreground?: { isBusy: () => boolean }) {
    this.maxPerWorkspace = maxPerWorkspace;
    this.#foreground = foreground;
  }

  /** Takes a place for a stream of the workspace: the function giving it back, or undefined at the cap. */
  tryOpen(workspaceId: number): (() => void) | undefined {
    return this.#open.tryOpen(workspaceId, this.maxPerWorkspace);
  }

  /**
   * Runs one listing of the outbox (with whatever checks its page) in its turn among the process's
   * streams; a full page (`hasMore`) keeps the turn for the pause while requests keep the process busy.
   */
  listing<T extends { hasMore: boolean }>(list: () => Promise<T>): Promise<T> {
    return this.#listings(async () => {
      const page = await list();
      if (page.hasMore && this.#foreground?.isBusy()) await sleep(catchUpPauseMs);
      return page;
    });
  }
}
