import type { FastifyBaseLogger } from 'fastify';
import { recordApiKeyUse, type Database } from '@tagging/domain';

/** How often one process writes a key's `last_used_at`, at most (ms). */
export const keyUseIntervalMs = 60_000;

/** At most this many keys are remembered; past it the memory starts over (keys are few). */
const maxRemembered = 10_000;

export type KeyUse = {
  /** Notes that a request used the key; never waits for the database. */
  used: (apiKeyId: string) => void;
  /** Waits for the writes in flight (on close, and in tests). */
  settled: () => Promise<void>;
};

/**
 * A key's last use, kept off the hot path: the first request of a key in each minute starts one
 * `update` that no request waits for; the others only read a map. A failed write is logged and
 * forgotten (the next minute tries again): the last-used time is advice, never worth a refused
 * request. The statement itself skips a key written in the last minute, so several processes
 * write each key about once a minute in all.
 */
export function keyUseRecorder(db: Database, log: FastifyBaseLogger): KeyUse {
  const lastWritten = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  return {
    used(apiKeyId) {
      const now = Date.now();
      const last = lastWritten.get(apiKeyId);
      if (last !== undefined && now - last < keyUseIntervalMs) return;
      if (lastWritten.size >= maxRemembered) lastWritten.clear();
      lastWritten.set(apiKeyId, now);
      const write = recordApiKeyUse(db.fork(), [apiKeyId])
        .catch((error: unknown) => {
          lastWritten.delete(apiKeyId);
          log.warn({ err: error, apiKeyId }, 'could not record the API key’s last use');
        })
        .finally(() => inFlight.delete(write));
      inFlight.add(write);
    },
    settled: async () => {
      await Promise.all([...inFlight]);
    },
  };
}
