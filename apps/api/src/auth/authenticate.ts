import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable, type Caller, type Database } from '@tagging/domain';
import { unavailableMessage } from '../errors/error-table.ts';
import { sendSurfaceError, surfaceOf } from '../errors/surface-errors.ts';
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
function apiKeyOf(req: FastifyRequest): string | undefined {
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
      if (isDatabaseUnavailable(error)) throw Object.assign(new Error(unavailableMessage), { statusCode: 503 });
      throw error;
    }
  });
}

/**
 * Every surface (REST, Zapini, tRPC, GraphQL) needs a valid key, so a request without one is
 * refused (401, in its surface's shape) from its headers alone: its body is never read or parsed.
 * The server's own routes (health, metrics, documents, docs page) stay open.
 */
export function registerAuthenticationRequirement(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (req.caller !== null) return;
    const surface = surfaceOf(req.url);
    if (surface === null) return;
    const header = surface === 'graphql' ? 'authorization: <key>' : 'Authorization: Bearer <key>';
    // The body, if any, is left unread: the connection closes after the answer.
    if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined)
      reply.header('connection', 'close');
    return sendSurfaceError(reply, 401, `a valid API key is required (${header})`);
  });
}
