import {
  defaultExportSettings,
  defaultPropagationSettings,
  type Caller,
  type Database,
  type ExportSettings,
  type PropagationSettings,
} from '@tagging/domain';
import type { FastifyRequest } from 'fastify';
// `req.caller` is declared by the authentication hook's module augmentation.
import type {} from '../auth/authenticate.ts';

/** What every procedure sees. The "inner" part serves tests and server-side calls. */
export type Context = {
  db: Database;
  /** Who is calling (from the API key), or null when the request carries no valid key. */
  caller: Caller | null;
  requestId: string;
  /** The success status and headers a REST response should carry (201 on creates, ETag); tRPC ignores them. */
  http: { status?: number; headers?: Record<string, string> };
  /** The request's `If-Match` header, for conditional updates. */
  ifMatch: string | undefined;
  propagation: PropagationSettings;
  exports: ExportSettings;
};

export type InnerContextOptions = {
  db: Database;
  caller?: Caller | null;
  requestId?: string;
  propagation?: PropagationSettings;
  exports?: ExportSettings;
  ifMatch?: string | undefined;
};

export function createInnerContext({
  db,
  caller = null,
  requestId = 'internal',
  propagation = defaultPropagationSettings,
  exports = defaultExportSettings,
  ifMatch,
}: InnerContextOptions): Context {
  return { db, caller, requestId, http: {}, propagation, exports, ifMatch };
}

export function createRequestContext(
  db: Database,
  req: FastifyRequest,
  propagation?: PropagationSettings,
  exports?: ExportSettings,
): Context {
  const ifMatch = req.headers['if-match'];
  return createInnerContext({
    db,
    caller: req.caller,
    requestId: req.id,
    ifMatch: typeof ifMatch === 'string' ? ifMatch : undefined,
    ...(propagation ? { propagation } : {}),
    ...(exports ? { exports } : {}),
  });
}
