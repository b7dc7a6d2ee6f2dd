import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Database, ExportSettings, IdempotencySettings, PropagationSettings } from '@tagging/domain';
import { registerAuthentication, registerAuthenticationRequirement } from './auth/authenticate.ts';
import { registerBodyDepthLimit } from './http/body-depth.ts';
import { registerCors, type CorsOrigins } from './http/cors.ts';
import { registerRateLimit, type RateLimit } from './auth/rate-limit.ts';
import { loggerOptions } from './observability/logger-options.ts';
import { holdsIssuedKey } from './observability/secret-scrubbing.ts';
import { registerMetrics } from './observability/metrics.ts';
import { registerRequestObservation, RequestLineController } from './observability/request-observation.ts';
import { requestLoggerFactory } from './observability/request-logger.ts';
import { docsPage } from './docs/docs-page.ts';
import { servedOpenApiDocument } from './openapi/served-document.ts';
import { bcrumbsPlugin } from './graphql/bcrumbs-plugin.ts';
import type { GraphQLLimits } from './graphql/graphql-limits.ts';
import { exportDownloadRoute } from './rest/export-download.ts';
import { restBasePath, restPlugin } from './rest/rest-plugin.ts';
import { withoutTrailingSlash } from './rest/rest-routes.ts';
import { refuseTrpcMethod, trpcPlugin } from './trpc/trpc-plugin.ts';
import type { ProcedureSurfaceOptions } from './trpc/context.ts';
import { fastifyErrorStatus, frameworkErrors, publicMessageOf } from './errors/framework-errors.ts';
import { noRouteMessage, originForm, sendSurfaceError, surfaceOf } from './errors/surface-errors.ts';
import {
  defaultHttpLimits,
  fastifyLimitOptions,
  limitConnections,
  rememberRequestUrls,
  type HttpLimits,
} from './http/http-limits.ts';
import { answerExpectations } from './http/expectations.ts';
import { bodyLeftUnread, registerRequestBodies } from './http/request-bodies.ts';
import type { TrustProxy } from './env.ts';
import type { WebhookUrlPolicy } from './webhooks/url-guard.ts';
import { cutLiveStreamsOnClose } from './http/live-streams.ts';
import { EventStreamLimits } from './procedures/events/event-stream-limits.ts';
import { payloadHook } from './http/hook-forms.ts';
import type { ForegroundLoad } from './http/foreground-load.ts';

export type ServerOptions = {
  db: Database;
  propagation?: PropagationSettings;
  /** The per-workspace cap on exports queued or running. */
  exports?: ExportSettings;
  /** How long an Idempotency-Key's response is kept, and when a claim without one times out (defaults: 24 h, 5 min). */
  idempotency?: IdempotencySettings;
  /** Requests per API key per window (per process); none means unlimited. */
  rateLimit?: RateLimit;
  logger?: FastifyServerOptions['logger'];
  /** Serve `GET /metrics` (default true). */
  metrics?: boolean;
  /** How long a key's caller is remembered (ms); 0, the default, looks it up on every request. */
  callerCacheMs?: number;
  /** Bounds of one GraphQL request (document size, tokens, aliases, depth, fields, cache, concurrency). */
  graphql?: Partial<GraphQLLimits>;
  /** Timeouts, connection caps and body limits; each unset one has its default (docs/RELIABILITY.md). */
  limits?: Partial<HttpLimits>;
  /**
   * Proxies whose X-Forwarded-Proto/Host/For to believe (TRUST_PROXY in env.ts); default none.
   * They give `req.protocol`, `req.host` (the OpenAPI document's server URL) and `req.ip` (the
   * logged and rate-limited client address).
   */
  trustProxy?: TrustProxy;
  /** Browser origins allowed to call the API (CORS); none by default (`http/cors.ts`). */
  corsOrigins?: CorsOrigins;
  /** Where webhook endpoints may point (default: public addresses only). */
  webhooks?: WebhookUrlPolicy;
  /** Counts the answered requests for the process's background work to step back (`http/foreground-load.ts`). */
  foregroundLoad?: ForegroundLoad;
  /** Live event streams a workspace may hold open in this process (default 100). */
  eventStreamsPerWorkspace?: number;
};

const requestIdPattern = /^[\w.:-]{1,128}$/;

export async function buildServer({
  db,
  logger = false,
  metrics = true,
  propagation,
  exports,
  rateLimit,
  idempotency,
  callerCacheMs = 0,
  graphql,
  limits: givenLimits = {},
  trustProxy = false,
  corsOrigins = [],
  webhooks,
  foregroundLoad,
  eventStreamsPerWorkspace,
}: ServerOptions): Promise<FastifyInstance> {
  const limits: HttpLimits = { ...defaultHttpLimits, ...givenLimits };
  const app = Fastify({
    ...fastifyLimitOptions(limits),
    // A hop count as a function: Fastify's types take only booleans, addresses and functions.
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    // JSON lines with secrets kept out; one line per request, written by the observation hook.
    logger: loggerOptions(logger),
    logController: new RequestLineController(),
    childLoggerFactory: requestLoggerFactory,
    // A caller's request id is kept (for tracing across services); otherwise a new one. An id
    // that holds a key's form is not kept: the log line would mask it and the response echo it,
    // and the two would no longer match (attack of session 17).
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) && !holdsIssuedKey(given) ? given : randomUUID();
    },
    frameworkErrors,
    // An absolute-form target routes as its path; REST paths match with or without one trailing
    // slash, as they did under trpc-to-openapi.
    rewriteUrl: (req) => withoutTrailingSlash(originForm(req.url ?? '/'), restBasePath),
  });
  limitConnections(app.server, limits);
  rememberRequestUrls(app.server);
  answerExpectations(app.server, limits, app.log);

  // First: a preflight carries no key and no body, so it is answered before either is required.
  await registerCors(app, corsOrigins);
  registerAuthentication(app, db, callerCacheMs);
  registerRequestObservation(app, metrics ? registerMetrics(app, db) : undefined, foregroundLoad);
  registerAuthenticationRequirement(app);
  registerBodyDepthLimit(app);
  if (rateLimit) await registerRateLimit(app, rateLimit);
  registerRequestBodies(app, limits);
  // What no scope answers (unknown paths, methods no route takes) and what fails outside the
  // scopes, in the shape of the surface the URL names, never repeating the request.
  // (A method no route takes, PROPFIND on `/trpc/...` or PUT on `/trpc`, is a 405 there, as
  // the methods tRPC's route takes but refuses.)
  app.setNotFoundHandler(
    (req, reply) =>
      (surfaceOf(req.url) === 'trpc' ? refuseTrpcMethod(req, reply) : undefined) ??
      sendSurfaceError(reply, 404, noRouteMessage),
  );
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = fastifyErrorStatus(error);
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    return sendSurfaceError(reply, status, publicMessageOf(error));
  });
  // While shutting down, responses in flight ask their client to close the connection: an idle
  // keep-alive socket would otherwise hold the server open for its whole keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  cutLiveStreamsOnClose(app);
  app.addHook(
    'onSend',
    payloadHook((req, reply) => {
      reply.header('x-request-id', req.id);
      // A body refused before it was read (too large, a media type no parser takes, a request
      // answered from its headers alone) is not drained: the connection closes after the answer,
      // so a client cannot make the server read on.
      if (closing || reply.statusCode === 413 || reply.statusCode === 415 || bodyLeftUnread(req))
        reply.header('connection', 'close');
    }),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    if (await db.ping()) return { status: 'ready' };
    return reply.code(503).send({ status: 'unavailable', message: 'database unreachable' });
  });
  app.get('/openapi.json', async (req) => servedOpenApiDocument(req));
  await app.register(docsPage);

  // Every surface serving the procedures gets the same database and settings.
  const surface: ProcedureSurfaceOptions = {
    db,
    ...(propagation ? { propagation } : {}),
    ...(exports ? { exports } : {}),
    ...(idempotency ? { idempotency } : {}),
    ...(webhooks ? { webhooks } : {}),
    eventStreams: new EventStreamLimits(eventStreamsPerWorkspace, foregroundLoad),
  };
  await app.register(trpcPlugin, { prefix: '/trpc', ...surface });
  await app.register(exportDownloadRoute, surface);
  await app.register(bcrumbsPlugin, { ...surface, ...(graphql ? { limits: graphql } : {}) });
  await app.register(restPlugin, surface);

  return app;
}
