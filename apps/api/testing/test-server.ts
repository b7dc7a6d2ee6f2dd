import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { createWorkspace, type Database } from '@tagging/domain';
import { openTestDatabase } from '@tagging/domain/testing';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../src/server.ts';
// The ProvidedContext augmentation that types inject().
import type {} from './global-setup.ts';

export type TestServer = {
  app: FastifyInstance;
  db: Database;
  /** `http://127.0.0.1:<port>`: the server listens on a real socket. */
  url: string;
  newWorkspace: (name?: string) => Promise<number>;
  close: () => Promise<void>;
};

/** The real API on its own fresh database (PGlite, or a clone on the DATABASE_URL server). */
export async function startTestServer(): Promise<TestServer> {
  const { db, dispose } = await openTestDatabase(inject('testDatabaseTemplate'));
  const app = await buildServer({ db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    db,
    url: `http://127.0.0.1:${port}`,
    newWorkspace: async (name = 'Test workspace') => (await createWorkspace(db.fork(), name)).id,
    close: async () => {
      await app.close();
      await dispose();
    },
  };
}

export type RestResponse = { status: number; body: unknown; headers: Headers };

/** A JSON request over HTTP, as any REST client sends it. */
export async function restCall(
  server: TestServer,
  method: string,
  path: string,
  options: { body?: unknown; workspaceId?: number; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<RestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.workspaceId !== undefined) headers['x-workspace-id'] = String(options.workspaceId);
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}
