import { initTRPC } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { refusalFor, scopeRefusal } from '../auth/authorize.ts';
import { failureOfThrown } from '../errors/api-failure.ts';
import { toTRPCError, trpcErrorFields } from '../errors/trpc-error-bodies.ts';
import type { Context } from './context.ts';

/**
 * A procedure's meta: trpc-to-openapi's `openapi` (route, summary, and the route's own
 * OpenAPI facts: `errorResponses` its statuses beyond those its shape implies,
 * `requestHeaders`/`responseHeaders`), `successStatus`, the HTTP status of a successful
 * REST response (201 on creates), and `showsSecret`: the success response carries a secret
 * shown this once (an API key, a webhook signing secret), so it is never kept for an
 * `Idempotency-Key` replay (see `registerIdempotency`).
 */
export type Meta = OpenApiMeta<{ successStatus?: number; showsSecret?: boolean }>;

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // Never a stack trace in a response, whatever NODE_ENV says.
    isDev: false,
    errorFormatter: ({ shape, error }) => ({ ...shape, ...trpcErrorFields(shape.data, error) }),
    // Subscriptions (change events over SSE): a comment every 15 s keeps the stream inside the
    // idle timeouts of the server and of proxies; a client that hears nothing for 40 s reconnects.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
  });

export const router = t.router;
/** Server-side callers of a router with an inner context: GraphQL and the export download call the procedures through them. */
export const createCallerFactory = t.createCallerFactory;

const workspaceIdOf = (rawInput: unknown): unknown =>
  typeof rawInput === 'object' && rawInput !== null && 'workspaceId' in rawInput ? rawInput.workspaceId : undefined;

/**
 * The access rules of a call in the caller's workspace, in their order: a valid API key is
 * required (401), and a `workspaceId` in the input (query string, body, GraphQL input) that is
 * not the key's workspace is refused (403); a mutation needs a `write` key and, where `needed`
 * says so, an `admin` key (403). Resources of other workspaces are simply not found by the
 * domain (404). Returns what the call adds to the context; throws the refusal as a `TRPCError`.
 */
function workspaceAccess(ctx: Context, type: string, rawInput: unknown, needed: 'admin' | undefined) {
  const refusal = refusalFor(ctx.caller, workspaceIdOf(rawInput));
  if (refusal) throw toTRPCError(refusal.code, refusal.message);
  if (ctx.caller === null) throw toTRPCError('UNAUTHORIZED', 'a valid API key is required');
  const scope =
    (type === 'mutation' ? scopeRefusal(ctx.caller, 'write') : null) ??
    (needed ? scopeRefusal(ctx.caller, needed) : null);
  if (scope) throw toTRPCError(scope.code, scope.message);
  // The key is recorded as the actor of what the call changes ("who did it", issue 19).
  return { caller: ctx.caller, workspaceId: ctx.caller.workspaceId, actor: { apiKeyId: ctx.caller.apiKeyId } };
}

/**
 * A base procedure: one middleware that checks the caller's access (`workspaceAccess`), then runs
 * the call. Every call of every transport (`/trpc`, the REST routes, the server-side caller of
 * GraphQL and the download) gets its own EntityManager, forked here and nowhere else (a tRPC batch
 * runs several calls of one request at once, and a unit of work must not share one). Its failure
 * is mapped here, once, through the error table; REST creates say 201. A success that shows a
 * secret marks its request, so the idempotency hook does not keep the response. The checks and
 * the call are one middleware, not one per base procedure: each level of tRPC's middleware chain
 * costs a request a few µs (issue 20, docs/PERFORMANCE.md).
 */
const baseProcedure = (needed: 'admin' | undefined) =>
  t.procedure.use(async ({ ctx, meta, type, next, getRawInput }) => {
    const access = workspaceAccess(ctx, type, await getRawInput().catch(() => undefined), needed);
    if (meta?.successStatus) ctx.http.status = meta.successStatus;
    // tRPC merges the returned fields into the context itself: no spread of ours.
    const call = () =>
      next({
        ctx: { caller: access.caller, workspaceId: access.workspaceId, actor: access.actor, em: ctx.db.fork() },
      });
    const result = await (ctx.databaseShare ? ctx.databaseShare(call) : call());
    if (result.ok && meta?.showsSecret) ctx.secretShown();
    const failure = result.ok ? undefined : failureOfThrown(result.error.cause);
    if (!result.ok && failure) {
      if (failure.retryAfterSeconds !== undefined)
        ctx.http.headers = { ...ctx.http.headers, 'retry-after': String(failure.retryAfterSeconds) };
      throw toTRPCError(failure.code, failure.message, result.error.cause);
    }
    return result;
  });

/** Procedures that act inside the caller's workspace (`workspaceAccess`). */
export const workspaceProcedure = baseProcedure(undefined);

/** Procedures that manage the workspace itself (its API keys): an `admin` key only (403 otherwise). */
export const adminProcedure = baseProcedure('admin');
