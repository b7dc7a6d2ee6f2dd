import { workspaceExists, type Database, type EntityManager } from '@tagging/domain';
import type { FastifyRequest } from 'fastify';

/** What every procedure sees. The "inner" part serves tests and server-side calls. */
export type Context = {
  db: Database;
  /** This request's own EntityManager, forked from the global one. */
  em: EntityManager;
  /** The workspace the caller acts in, or null when it did not say. */
  workspaceId: number | null;
  requestId: string;
  /** The success status a REST response should carry (201 on creates); tRPC ignores it. */
  http: { status?: number };
};

export type InnerContextOptions = { db: Database; workspaceId?: number | null; requestId?: string };

export function createInnerContext({ db, workspaceId = null, requestId = 'internal' }: InnerContextOptions): Context {
  return { db, em: db.fork(), workspaceId, requestId, http: {} };
}

/**
 * TEMPORARY workspace source, until API keys exist (issue 3 replaces exactly this function): the
 * caller names an existing workspace in the `X-Workspace-Id` header.
 */
async function workspaceOfRequest(db: Database, req: FastifyRequest): Promise<number | null> {
  const header = req.headers['x-workspace-id'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > 2_147_483_647) return null;
  return (await workspaceExists(db.fork(), Number(value))) ? Number(value) : null;
}

export async function createRequestContext(db: Database, req: FastifyRequest): Promise<Context> {
  return createInnerContext({ db, workspaceId: await workspaceOfRequest(db, req), requestId: req.id });
}
