import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import {
  createWorkspaceWithKey,
  defaultWebhookRetryPolicy,
  pendingJobCount,
  startBackgroundWorker,
  type Database,
  type IdempotencySettings,
  type PropagationSettings,
} from '@tagging/domain';
import { openTestDatabase } from '@tagging/domain/testing';
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from '../src/server.ts';
import { startChangeEventWork, type ChangeEventSettings } from '../src/webhooks/change-event-work.ts';
import type { RateLimit } from '../src/auth/rate-limit.ts';
import type { HttpLimits } from '../src/http/http-limits.ts';
import type { GraphQLLimits } from '../src/graphql/graphql-limits.ts';
import type { TrustProxy } from '../src/env.ts';
// The ProvidedContext augmentation that types inject().
import type {} from './global-setup.ts';

export type TestWorkspace = { id: number; apiKey: string };

export type TestServer = {
  app: FastifyInstance;
  db: Database;
  /** `http://127.0.0.1:<port>`: the server listens on a real socket. */
  url: string;
  /** A new workspace and the secret of its API key. */
  newWorkspace: (name?: string) => Promise<TestWorkspace>;
  /** Until no propagation job is left unfinished. */
  waitForJobs: () => Promise<void>;
  close: () => Promise<void>;
};

export type TestServerOptions = {
  propagation?: PropagationSettings;
  batchSize?: number;
  /** Contacts per export batch (one stored chunk each); the worker's default otherwise. */
  exportBatchSize?: number;
  rateLimit?: RateLimit;
  callerCacheMs?: number;
  idempotency?: IdempotencySettings;
  /** Timeouts, connection caps and body limits other than the defaults. */
  limits?: Partial<HttpLimits>;
  /** Bounds of one GraphQL request other than the defaults. */
  graphql?: Partial<GraphQLLimits>;
  /** Proxies to believe (TRUST_PROXY). */
  trustProxy?: TrustProxy;
  /** The server's logger (none by default), e.g. a stream that keeps the lines for the test. */
  logger?: ServerOptions['logger'];
  /** Browser origins allowed to call the API (CORS). */
  corsOrigins?: readonly string[];
  /** Start the propagation worker (default true); off to drive jobs by hand. */
  worker?: boolean;
  /**
   * The change-event work (sequencer and webhook dispatcher; default on, webhooks may call
   * 127.0.0.1, retries start at 50 ms); `false` to drive it by hand.
   */
  changeEvents?: ChangeEventSettings | false;
  /** Live event streams a workspace may hold open (EVENT_STREAMS_PER_WORKSPACE). */
  eventStreamsPerWorkspace?: number;
};

/**
 * The real API on its own fresh database (PGlite, or a clone on the DATABASE_URL server), with
 * its propagation worker running.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { db, dispose } = await openTestDatabase(inject('testDatabaseTemplate'));
  const app = await buildServer({
    db,
    ...(options.propagation ? { propagation: options.propagation } : {}),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.callerCacheMs ? { callerCacheMs: options.callerCacheMs } : {}),
    ...(options.idempotency ? { idempotency: options.idempotency } : {}),
    // Idle connections are left to the client to close (undici: ~4 s): when the server closed
    // them first, a test process whose event loop was busy (PGlite runs in it) could send its
    // next request on a socket the server had just closed: ECONNRESET, seen under load. Tests
    // of the keep-alive timeout pass their own.
    limits: { keepAliveTimeoutMs: 600_000, ...options.limits },
    ...(options.graphql ? { graphql: options.graphql } : {}),
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.eventStreamsPerWorkspace ? { eventStreamsPerWorkspace: options.eventStreamsPerWorkspace } : {}),
    webhooks: { allowPrivate: true },
  });
  const changeEvents =
    options.changeEvents === false
      ? { stop: async () => undefined }
      : startChangeEventWork(db, {
          sequenceEveryMs: 20,
          ...options.changeEvents,
          webhooks: {
            allowPrivate: true,
            idleMs: 20,
            timeoutMs: 2000,
            retry: { ...defaultWebhookRetryPolicy, baseDelayMs: 50 },
            ...options.changeEvents?.webhooks,
          },
        });
  const worker =
    options.worker === false
      ? { stop: async () => undefined }
      : startBackgroundWorker(db, {
          idleMs: 20,
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
          ...(options.exportBatchSize ? { exportBatchSize: options.exportBatchSize } : {}),
        });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    db,
    url: `http://127.0.0.1:${port}`,
    newWorkspace: async (name = 'Test workspace') => {
      const { workspace, apiKey } = await createWorkspaceWithKey(db.fork(), name);
      return { id: workspace.id, apiKey: apiKey.secret };
    },
    waitForJobs: async () => {
      for (let i = 0; i < 500 && (await pendingJobCount(db.fork())) > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
    },
    close: async () => {
      await app.close();
      await worker.stop();
      await changeEvents.stop();
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
  options: { body?: unknown; apiKey?: string; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<RestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}
