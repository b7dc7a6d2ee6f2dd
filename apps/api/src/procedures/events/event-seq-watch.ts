import { activeApiKeyIds, type Database } from '@tagging/domain';

/** How often the watcher reads the last numbered event of the workspaces being watched (ms). */
const pollMs = 250;

/** How often the watcher checks that the API keys of the waiting streams still work (ms). */
const keyCheckEveryMs = 1000;

type Waiter = { beyond: number; apiKeyId: string | undefined; resolve: (latest: number) => void };

/**
 * One poll per process for every live subscription (attack finding, session 9: each stream
 * polled the outbox four times a second, so 200 idle streams made 850 transactions a second).
 * Streams wait here until their workspace's last numbered event (`event_sequence.last_seq`) passes
 * what they have read; one statement every 250 ms reads it for all the workspaces waited on, and
 * none runs while nobody waits. A number is visible only with every smaller one of its workspace
 * (the sequencer), so a stream that then lists the events after its cursor misses nothing.
 */
export class EventSeqWatch {
  private readonly waiters = new Map<number, Set<Waiter>>();
  private timer: NodeJS.Timeout | undefined;
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  /**
   * Resolves with the workspace's last event number once it is above `beyond`, or with `beyond`
   * when `signal` aborts or when `apiKeyId` (the stream's key) no longer works: revoked or
   * expired, which the watcher checks for every waiting stream at once, each `keyCheckEveryMs`
   * (attack, session 25: a revoked key's idle streams kept their places under the workspace's
   * stream cap until its next event).
   */
  waitBeyond(workspaceId: number, beyond: number, signal: AbortSignal | undefined, apiKeyId?: string): Promise<number> {
    if (signal?.aborted) return Promise.resolve(beyond);
    return new Promise<number>((resolve) => {
      const waiters = this.waiters.get(workspaceId) ?? new Set<Waiter>();
      this.waiters.set(workspaceId, waiters);
      const waiter: Waiter = {
        beyond,
        apiKeyId,
        resolve: (latest) => {
          waiters.delete(waiter);
          if (waiters.size === 0) this.waiters.delete(workspaceId);
          signal?.removeEventListener('abort', aborted);
          resolve(latest);
        },
      };
      const aborted = () => waiter.resolve(beyond);
      signal?.addEventListener('abort', aborted, { once: true });
      waiters.add(waiter);
      this.timer ??= setTimeout(() => void this.poll(), pollMs);
    });
  }

  private keysCheckedAt = Date.now();

  /** Wakes the waiting streams whose key no longer works: each then checks it, and ends. */
  private async wakeRevokedKeys(): Promise<void> {
    const waiting = [...this.waiters.values()].flatMap((waiters) => [...waiters]);
    const keyIds = [...new Set(waiting.flatMap((waiter) => (waiter.apiKeyId ? [waiter.apiKeyId] : [])))];
    const active = await activeApiKeyIds(this.db.fork(), keyIds);
    this.keysCheckedAt = Date.now();
    for (const waiter of waiting) if (waiter.apiKeyId && !active.has(waiter.apiKeyId)) waiter.resolve(waiter.beyond);
  }

  private async poll(): Promise<void> {
    const workspaces = [...this.waiters.keys()];
    try {
      const rows = await this.db
        .fork()
        .execute<{ workspace_id: number; last_seq: string | number }[]>(
          'select workspace_id, last_seq from event_sequence where workspace_id = any(?::int[])',
          [`{${workspaces.join(',')}}`],
        );
      for (const row of rows)
        for (const waiter of [...(this.waiters.get(row.workspace_id) ?? [])])
          if (Number(row.last_seq) > waiter.beyond) waiter.resolve(Number(row.last_seq));
      if (Date.now() - this.keysCheckedAt >= keyCheckEveryMs) await this.wakeRevokedKeys();
    } catch {
      // The database is away: the streams keep waiting, and the next poll tries again.
    }
    this.timer = this.waiters.size > 0 ? setTimeout(() => void this.poll(), pollMs) : undefined;
  }
}

const watches = new WeakMap<Database, EventSeqWatch>();

/** The process's watcher of this database. */
export function eventSeqWatchOf(db: Database): EventSeqWatch {
  let watch = watches.get(db);
  if (!watch) {
    watch = new EventSeqWatch(db);
    watches.set(db, watch);
  }
  return watch;
}
