import {
  defaultExportSettings,
  defaultPropagationSettings,
  type Caller,
  type Database,
  type ExportSettings,
  type IdempotencySettings,
  type PropagationSettings,
} from '@tagging/domain';
import type { FastifyRequest } from 'fastify';
import { defaultWebhookUrlPolicy, type WebhookUrlPolicy } from '../webhooks/url-guard.ts';
import pLimit, { type LimitFunction } from 'p-limit';
import { markSecretShown } from '../http/idempotency.ts';
import { EventStreamLimits } from '../procedures/events/event-stream-limits.ts';
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
  /** Where webhook endpoints may point (`WEBHOOK_ALLOW_PRIVATE_URLS`). */
  webhooks: WebhookUrlPolicy;
  /** The process's bounds on live event streams (`EVENT_STREAMS_PER_WORKSPACE`). */
  eventStreams: EventStreamLimits;
  /**
   * The request's share of the database pool: a tRPC batch runs up to 50 calls of one request
   * (a GraphQL document, up to `maxAliases` resolvers), and at most this many of them wait on
   * the database at once, so that one caller cannot take the pool from the others (issue 18):
   * `callsInFlightPerRequest` for tRPC, `GRAPHQL_RESOLVER_CONCURRENCY` for GraphQL. Null when
   * the request makes one call (a REST request, an unbatched tRPC call): one call needs no
   * queue, and skipping it saves each such request a limiter and its promise hops (issue 20).
   */
  databaseShare: LimitFunction | null;
  /**
   * Called when a call's response carries a secret shown once (`showsSecret` meta): its
   * request's response is then not kept for an `Idempotency-Key` replay. A no-op off HTTP.
   */
  secretShown: () => void;
};

/**
 * What a transport scope serving the procedures (`/trpc`, the REST routes) is registered with:
 * the database, the settings each request's context carries, and the idempotency keys' settings.
 */
export type ProcedureSurfaceOptions = {
  db: Database;
  propagation?: PropagationSettings;
  exports?: ExportSettings;
  idempotency?: IdempotencySettings;
  webhooks?: WebhookUrlPolicy;
  eventStreams?: EventStreamLimits;
};

/** Calls of one request (a tRPC batch) in flight on the database at once. */
export const callsInFlightPerRequest = 2;

export type InnerContextOptions = {
  db: Database;
  caller?: Caller | null;
  requestId?: string;
  propagation?: PropagationSettings;
  exports?: ExportSettings;
  webhooks?: WebhookUrlPolicy;
  eventStreams?: EventStreamLimits;
  ifMatch?: string | undefined;
  secretShown?: () => void;
  /** The request makes one call only (see `Context.databaseShare`); default false. */
  singleCall?: boolean;
  /** The share of a request of several calls; `callsInFlightPerRequest` calls at once by default. */
  databaseShare?: LimitFunction;
};

/** Calls outside a server (tests, scripts) share one set of bounds, the defaults. */
const defaultEventStreams = new EventStreamLimits();

export function createInnerContext({
  db,
  caller = null,
  requestId = 'internal',
  propagation = defaultPropagationSettings,
  exports = defaultExportSettings,
  webhooks = defaultWebhookUrlPolicy,
  eventStreams = defaultEventStreams,
  ifMatch,
  secretShown = () => undefined,
  singleCall = false,
  databaseShare,
}: InnerContextOptions): Context {
  return {
    db,
    caller,
    requestId,
    http: {},
    propagation,
    exports,
    webhooks,
    eventStreams,
    ifMatch,
    databaseShare: singleCall ? null : (databaseShare ?? pLimit(callsInFlightPerRequest)),
    secretShown,
  };
}

/** How many calls an HTTP request makes, for its share of the pool (`Context.databaseShare`). */
export type RequestCalls = {
  /** One call only (REST always; tRPC unless it is a batch): no limiter. */
  singleCall?: boolean;
  /** A request of several calls whose share is not `callsInFlightPerRequest` (GraphQL's, `GRAPHQL_RESOLVER_CONCURRENCY`). */
  databaseShare?: LimitFunction;
};

/** The context of an HTTP request on any surface, with its surface's settings. */
export function createRequestContext(
  surface: ProcedureSurfaceOptions,
  req: FastifyRequest,
  { singleCall = false, databaseShare }: RequestCalls,
): Context {
  const ifMatch = req.headers['if-match'];
  return createInnerContext({
    db: surface.db,
    caller: req.caller,
    requestId: req.id,
    ifMatch: typeof ifMatch === 'string' ? ifMatch : undefined,
    secretShown: () => markSecretShown(req),
    singleCall,
    // Not spreads of optional parts (each copied by V8's slow path, issue 20): a setting the
    // surface leaves undefined takes the default of `createInnerContext`.
    propagation: surface.propagation,
    exports: surface.exports,
    webhooks: surface.webhooks,
    eventStreams: surface.eventStreams,
    databaseShare,
  });
}
