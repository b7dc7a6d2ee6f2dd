import {
  defaultPropagationSettings,
  type Caller,
  type Database,
  type EntityManager,
  type PropagationSettings,
} from '@tagging/domain';
import type { FastifyRequest } from 'fastify';

/** What every procedure sees. The "inner" part serves tests and server-side calls. */
export type Context = {
  db: Database;
  /** This request's own EntityManager, forked from the global one. */
  em: EntityManager;
  /** Who is calling (from the API key), or null when the request carries no valid key. */
  caller: Caller | null;
  requestId: string;
  /** The success status a REST response should carry (201 on creates); tRPC ignores it. */
  http: { status?: number };
  propagation: PropagationSettings;
};

export type InnerContextOptions = {
  db: Database;
  caller?: Caller | null;
  requestId?: string;
  propagation?: PropagationSettings;
};

export function createInnerContext({
  db,
  caller = null,
  requestId = 'internal',
  propagation = defaultPropagationSettings,
}: InnerContextOptions): Context {
  return { db, em: db.fork(), caller, requestId, http: {}, propagation };
}

export function createRequestContext(db: Database, req: FastifyRequest, propagation?: PropagationSettings): Context {
  return createInnerContext({ db, caller: req.caller, requestId: req.id, ...(propagation ? { propagation } : {}) });
}
