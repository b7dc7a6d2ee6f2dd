import { apiKeyHash, authenticateApiKey, type Caller, type Database } from '@tagging/domain';

/** The caller of a key: at once when it is remembered, else once the database has answered. */
export type Authenticate = (secret: string) => Caller | Promise<Caller | null>;

/** At most this many keys are remembered; past it the cache starts over (keys are few). */
const maxEntries = 10_000;

/**
 * The caller of each API key, remembered for `ttlMs`: saves one database round trip on every
 * request, at the price of a revoked key working for up to `ttlMs` more in a process that saw
 * it (an expiring key is never remembered past its expiry). Unknown keys are never remembered (a flood of made-up keys cannot grow the cache, and a
 * new key works at once). Entries are keyed by the key's hash, never by the secret.
 */
export function cachedAuthentication(db: Database, ttlMs: number): Authenticate {
  if (ttlMs <= 0) return (secret) => authenticateApiKey(db.fork(), secret);
  const callers = new Map<string, { caller: Caller; until: number }>();
  const lookUp = async (secret: string, hash: string, now: number) => {
    const caller = await authenticateApiKey(db.fork(), secret);
    if (caller === null) {
      callers.delete(hash);
      return null;
    }
    if (callers.size >= maxEntries) callers.clear();
    // An expiring key is not served past its expiry, whatever the cache's lifetime.
    const expiresAt = caller.expiresAt === null ? Infinity : Date.parse(caller.expiresAt);
    callers.set(hash, { caller, until: Math.min(now + ttlMs, expiresAt) });
    return caller;
  };
  return (secret) => {
    const hash = apiKeyHash(secret);
    const now = Date.now();
    const known = callers.get(hash);
    return known && known.until > now ? known.caller : lookUp(secret, hash, now);
  };
}
