import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable, type Caller, type Database } from '@tagging/domain';
import { cachedAuthentication } from './caller-cache.ts';

declare module 'fastify' {
  // Module augmentation merges only with an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyRequest {
    /** The caller its API key stands for; null when the request has no valid key. */
    caller: Caller | null;
  }
}

/**
 * The key of a request: `Authorization: Bearer <key>` (Zapini, REST) or a bare
 * `Authorization: <key>` (bcrumbs).
 */
export function apiKeyOf(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return (match?.[1] ?? header).trim() || undefined;
}

/** Who is calling, resolved once per request; each transport decides what to require. */
export function registerAuthentication(app: FastifyInstance, db: Database, callerCacheMs = 0): void {
  const authenticate = cachedAuthentication(db, callerCacheMs);
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (req) => {
    const key = apiKeyOf(req);
    try {
      req.caller = key === undefined ? null : await authenticate(key);
    } catch (error) {
      // Fail fast and say why: a 503 the client can retry, not a 500.
      if (isDatabaseUnavailable(error))
        throw Object.assign(new Error('the database is unavailable; retry shortly'), { statusCode: 503 });
      throw error;
    }
  });
}
