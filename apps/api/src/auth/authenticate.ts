import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable, type Caller, type Database } from '@tagging/domain';
import { unavailableMessage } from '../errors/error-table.ts';
import { sendSurfaceError, surfaceOf } from '../errors/surface-errors.ts';
import { cachedAuthentication } from './caller-cache.ts';
import { keyUseRecorder, type KeyUse } from './key-use.ts';
import { requestHook } from '../http/hook-forms.ts';

declare module 'fastify' {
  // Module augmentation merges only with an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyRequest {
    /** The caller its API key stands for; null when the request has no valid key. */
    caller: Caller | null;
  }
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyInstance {
    /** Each key's last use, written at most once a minute (see `key-use.ts`). */
    keyUse: KeyUse;
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

/**
 * Who is calling, resolved once per request; each transport decides what to require. A key's
 * use is noted for its `lastUsedAt` without the request waiting for it. The server's own routes
 * outside the surfaces (health, readiness, metrics, the documents) take no key, so a key sent
 * to them is not looked up: a probe stays 200 while the database is down whatever headers its
 * client adds, and a made-up key there costs no query (attack of session 16).
 */
export function registerAuthentication(app: FastifyInstance, db: Database, callerCacheMs = 0): void {
  const authenticate = cachedAuthentication(db, callerCacheMs);
  const keyUse = keyUseRecorder(db, app.log);
  app.decorate('keyUse', keyUse);
  app.addHook('onClose', () => keyUse.settled());
  app.decorateRequest('caller', null);
  const noteCaller = (req: FastifyRequest, caller: Caller | null) => {
    req.caller = caller;
    if (caller !== null) keyUse.used(caller.apiKeyId);
  };
  const refusal = (error: unknown) => {
    // Fail fast and say why: a 503 the client can retry, not a 500.
    if (isDatabaseUnavailable(error)) throw Object.assign(new Error(unavailableMessage), { statusCode: 503 });
    throw error;
  };
  app.addHook(
    'onRequest',
    requestHook((req) => {
      const key = apiKeyOf(req);
      if (key === undefined || surfaceOf(req.url) === null) return;
      // A remembered key answers at once; only a lookup waits for the database.
      const found = authenticate(key);
      if (found instanceof Promise) return found.then((caller) => noteCaller(req, caller), refusal);
      noteCaller(req, found);
    }),
  );
}

/**
 * Every surface (REST, Zapini, tRPC, GraphQL) needs a valid key, so a request without one is
 * refused (401, in its surface's shape) from its headers alone: its body is never read or parsed.
 * The server's own routes (health, metrics, documents, docs page) stay open.
 */
export function registerAuthenticationRequirement(app: FastifyInstance): void {
  app.addHook(
    'onRequest',
    requestHook((req, reply) => {
      if (req.caller !== null) return;
      const surface = surfaceOf(req.url);
      if (surface === null) return;
      const header = surface === 'graphql' ? 'authorization: <key>' : 'Authorization: Bearer <key>';
      // The body, if any, is left unread: the server's `onSend` closes the connection after the
      // answer (`bodyLeftUnread`).
      return sendSurfaceError(reply, 401, `a valid API key is required (${header})`);
    }),
  );
}
