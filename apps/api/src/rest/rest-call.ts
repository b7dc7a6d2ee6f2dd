import type { FastifyReply, FastifyRequest } from 'fastify';
import { callTRPCProcedure, getTRPCErrorShape, TRPCError, type TRPCProcedureType } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { z } from 'zod';
import { WorkspaceId } from '@tagging/contracts';
import { appRouter } from '../router.ts';
import { createRequestContext, type Context, type ProcedureSurfaceOptions } from '../trpc/context.ts';
import { noRouteMessage } from '../errors/surface-errors.ts';
import { toTRPCError } from '../errors/trpc-error-bodies.ts';
import { refusalFor } from '../auth/authorize.ts';
import { queryInput, type RestRoute } from './rest-routes.ts';

/** A thrown value as a `TRPCError`, as trpc-to-openapi read it: anything else is an internal error that keeps its stack. */
function errorOf(cause: unknown): TRPCError {
  if (cause instanceof Error && cause.name === 'TRPCError') return cause as TRPCError;
  const error = new TRPCError({
    message: 'Internal server error',
    code: 'INTERNAL_SERVER_ERROR',
    ...(cause instanceof Error ? { cause } : {}),
  });
  if (cause instanceof Error && cause.stack) error.stack = cause.stack;
  return error;
}

/** A `workspaceId` in the query string of a route whose input has none. */
const NamedWorkspace = z.object({ workspaceId: WorkspaceId });

/**
 * The check of a `workspaceId` in the query string of a REST route whose input has none: not
 * its input, but it still names a workspace, checked as where a procedure reads it. Another
 * workspace is refused (403; 401 without a key), and one that is not a workspace id (`02`,
 * `abc`, given twice) is a 400 on it. Nothing when the query string has none. Throws a
 * `TRPCError`, answered as the procedures' failures are.
 */
export function checkNamedWorkspace(req: FastifyRequest): void {
  const named = (req.query as Record<string, unknown>).workspaceId;
  if (named === undefined) return;
  const refusal = refusalFor(req.caller, named);
  if (refusal) throw toTRPCError(refusal.code, refusal.message);
  const parsed = NamedWorkspace.safeParse({ workspaceId: named });
  if (!parsed.success) throw new TRPCError({ code: 'BAD_REQUEST', cause: parsed.error });
}

type FailedCall = {
  procedurePath: string | undefined;
  type: TRPCProcedureType | 'unknown';
  input: unknown;
  ctx: Context | undefined;
};

/**
 * Answers a failed REST call with trpc-to-openapi's error JSON (tRPC's error shape as our
 * formatter makes it, plus top-level `message`, `code` and `issues`) and the status of the
 * error's tRPC code; the REST plugin's `onSend` hook turns it into the REST or Zapini body. An
 * internal error is logged. A refusal's own headers (Retry-After on a 429) go with it.
 */
function answerFailure(req: FastifyRequest, reply: FastifyReply, cause: unknown, call: FailedCall): string {
  const error = errorOf(cause);
  if (error.code === 'INTERNAL_SERVER_ERROR') req.log.error({ err: error.cause ?? error }, 'procedure failed');
  const shape = getTRPCErrorShape({
    config: appRouter._def._config,
    error,
    type: call.type,
    path: call.procedurePath,
    input: call.input,
    ctx: call.ctx,
  });
  const invalidInput = error.code === 'BAD_REQUEST' && error.cause instanceof Error && error.cause.name === 'ZodError';
  const body = {
    ...shape,
    message: invalidInput ? 'Input validation failed' : shape.message,
    code: error.code,
    issues: invalidInput ? (error.cause as Error & { issues?: unknown }).issues : undefined,
  };
  reply.code(getHTTPStatusCodeFromError(error)).header('content-type', 'application/json');
  if (call.ctx?.http.headers) reply.headers(call.ctx.http.headers);
  return JSON.stringify(body);
}

/** What an `/api` path no route takes answers (404), as the adapter did. */
export async function answerUnknownRoute(req: FastifyRequest, reply: FastifyReply): Promise<string> {
  // The same words as the server's not-found handler (OPTIONS, TRACE: methods no scope takes).
  const cause = new TRPCError({ message: noRouteMessage, code: 'NOT_FOUND' });
  return answerFailure(req, reply, cause, {
    procedurePath: undefined,
    type: 'unknown',
    input: undefined,
    ctx: undefined,
  });
}

/**
 * The Fastify handler of one REST route: the input from the query string (GET, DELETE) or the
 * body (writes; the plugin's `preHandler` has merged the query into it), the path parameters
 * over it; one context; the procedure called once, through tRPC's `callTRPCProcedure` (what
 * `createCaller` runs for each call, without its proxy); the JSON answer with the status and
 * headers the call set (201 on creates, ETag).
 */
export function restHandler(route: RestRoute, surface: ProcedureSurfaceOptions) {
  const { procedurePath, type, readsBody, takesInput, arrayKeys, workspaceIdInQuery, inputKeys } = route;
  const ignoresWorkspaceId = inputKeys !== null && !inputKeys.has('workspaceId');
  return async (req: FastifyRequest, reply: FastifyReply): Promise<string> => {
    let input: unknown;
    let ctx: Context | undefined;
    try {
      const contentType = req.headers['content-type'];
      if (readsBody && !contentType?.startsWith('application/json'))
        throw new TRPCError({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: contentType ? `Unsupported content-type "${contentType}` : 'Missing content-type header',
        });
      if (takesInput)
        input = {
          ...(readsBody ? (req.body as object) : queryInput(req.query, arrayKeys, inputKeys)),
          ...(req.params as object),
        };
      // The document's `workspaceId` is a query parameter; in the body alone it is not given
      // (docs/DECISIONS.md). One own-property check, on the routes that take it.
      if (workspaceIdInQuery && !Object.hasOwn(req.query as object, 'workspaceId'))
        input = { ...(input as object), workspaceId: undefined };
      if (ignoresWorkspaceId) checkNamedWorkspace(req);
      ctx = createRequestContext(surface, req, { singleCall: true });
      const callInput = input;
      const data: unknown = await callTRPCProcedure({
        router: appRouter,
        path: procedurePath,
        type,
        ctx,
        getRawInput: async () => callInput,
        signal: undefined,
        batchIndex: 0,
      });
      reply.code(ctx.http.status ?? 200).header('content-type', 'application/json');
      if (ctx.http.headers) reply.headers(ctx.http.headers);
      // (A procedure without output answers an empty body, as the adapter's `res.end(undefined)`.)
      return JSON.stringify(data) ?? '';
    } catch (cause) {
      return answerFailure(req, reply, cause, { procedurePath, type, input, ctx });
    }
  };
}
