import { initTRPC } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import type { ErrorCode, ErrorIssue } from '@tagging/contracts';
import { DomainError, isDatabaseUnavailable } from '@tagging/domain';
import { refusalFor } from '../auth/authorize.ts';
import { errorCodeOfHttpStatus, toTRPCError } from '../errors/error-table.ts';
import type { Context } from './context.ts';

/** `successStatus`: the HTTP status of a successful REST response (201 on creates). */
export type Meta = OpenApiMeta<{ successStatus?: number }>;

export type ErrorData = {
  code: string;
  httpStatus: number;
  path?: string;
  /** The domain error code; the SDK and the REST bodies use this one. */
  errorCode: ErrorCode;
  issues?: ErrorIssue[];
};

const issuesOf = (cause: unknown): ErrorIssue[] | undefined => {
  if (cause instanceof ZodError)
    return cause.issues.map((issue) => ({
      path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
      message: issue.message,
    }));
  if (cause instanceof DomainError) return cause.issues;
  return undefined;
};

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // Never a stack trace in a response, whatever NODE_ENV says.
    isDev: false,
    errorFormatter: ({ shape, error }) => {
      const errorCode =
        error.cause instanceof DomainError ? error.cause.code : errorCodeOfHttpStatus(shape.data.httpStatus);
      const issues = issuesOf(error.cause);
      // tRPC's own refusals quote the request (an unknown procedure's name, a JSON excerpt).
      const unknownProcedure = error.code === 'NOT_FOUND' && error.message.startsWith('No procedure found');
      const data: ErrorData = {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        errorCode,
        ...(shape.data.path && !unknownProcedure ? { path: shape.data.path } : {}),
        ...(issues ? { issues } : {}),
      };
      // Internal errors can carry SQL or driver details: say nothing of them.
      const message =
        errorCode === 'INTERNAL_ERROR'
          ? 'Internal server error'
          : error.cause instanceof ZodError
            ? 'Input validation failed'
            : unknownProcedure
              ? 'no procedure of that name'
              : error.code === 'PARSE_ERROR'
                ? 'the input is not valid JSON'
                : shape.message;
      return { ...shape, message, data };
    },
  });

export const router = t.router;

/**
 * Every call gets its own EntityManager, forked here and nowhere else (a tRPC batch runs several
 * calls of one request at once, and a unit of work must not share one). Domain errors become tRPC errors through the
 * one table; REST creates say 201.
 */
export const publicProcedure = t.procedure.use(async ({ ctx, meta, next }) => {
  if (meta?.successStatus) ctx.http.status = meta.successStatus;
  const result = await next({ ctx: { ...ctx, em: ctx.db.fork() } });
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    if (cause.retryAfterSeconds !== undefined)
      ctx.http.headers = { ...ctx.http.headers, 'retry-after': String(cause.retryAfterSeconds) };
    throw toTRPCError(cause.code, cause.message, cause);
  }
  if (!result.ok && isDatabaseUnavailable(result.error.cause))
    throw toTRPCError('UNAVAILABLE', 'the database is unavailable; retry shortly', result.error.cause);
  return result;
});

const workspaceIdOf = (rawInput: unknown): unknown =>
  typeof rawInput === 'object' && rawInput !== null && 'workspaceId' in rawInput ? rawInput.workspaceId : undefined;

/**
 * Procedures that act inside the caller's workspace: a valid API key is required (401), and a
 * `workspaceId` in the input (query string, body) that is not the key's workspace is refused
 * (403). Resources of other workspaces are simply not found by the domain (404).
 */
export const workspaceProcedure = publicProcedure.use(async ({ ctx, next, getRawInput }) => {
  const refusal = refusalFor(ctx.caller, workspaceIdOf(await getRawInput().catch(() => undefined)));
  if (refusal) throw toTRPCError(refusal.code, refusal.message);
  if (ctx.caller === null) throw toTRPCError('UNAUTHORIZED', 'a valid API key is required');
  return next({ ctx: { ...ctx, caller: ctx.caller, workspaceId: ctx.caller.workspaceId } });
});
