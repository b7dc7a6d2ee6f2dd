import type { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError } from 'zod';
import { errorCodeOfHttpStatus, type ErrorBody, type ErrorIssue } from '@tagging/contracts';
import { DomainError, isDatabaseUnavailable, isLockConflict, isStatementCancelled } from '@tagging/domain';
import {
  errorTable,
  invalidInputMessage,
  lockConflictMessage,
  shownMessage,
  statementCancelledMessage,
  unavailableMessage,
} from './error-table.ts';

/**
 * A failed call in neutral terms (the fields of the REST body): what every dialect's builder
 * formats. `retryAfterSeconds` goes out as a `Retry-After` header where the dialect has headers.
 */
export type ApiFailure = ErrorBody & { retryAfterSeconds?: number };

/** A Zod error's issues as the error bodies carry them (array indexes stay numbers). */
export const zodIssuesOf = (error: ZodError): ErrorIssue[] =>
  error.issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
    message: issue.message,
  }));

/**
 * What a procedure's own failure is, before any dialect shapes it: a domain error as it says,
 * an unreachable database as UNAVAILABLE; undefined for anything else (an internal error, a
 * tRPC refusal). The base procedure (`trpc/init.ts`) applies it to every call of every
 * transport.
 */
export function failureOfThrown(error: unknown): ApiFailure | undefined {
  if (error instanceof DomainError)
    return {
      code: error.code,
      message: error.message,
      ...(error.issues ? { issues: error.issues } : {}),
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    };
  if (isDatabaseUnavailable(error)) return { code: 'UNAVAILABLE', message: unavailableMessage };
  if (isStatementCancelled(error))
    return { code: 'UNAVAILABLE', message: statementCancelledMessage, retryAfterSeconds: 5 };
  // A deadlock still met after `retryingDeadlocks`' attempts rolled everything back: a transient
  // 503 the client may retry, not an internal error (black-box attack, session 24).
  if (isLockConflict(error)) return { code: 'UNAVAILABLE', message: lockConflictMessage, retryAfterSeconds: 1 };
  return undefined;
}

/**
 * tRPC's own refusals of a request's form, which quote what was sent (the content type, a
 * parser's excerpt): answered in fixed words instead.
 */
function transportRefusal(message: string): string | undefined {
  if (message.startsWith('Unsupported content-type') || message.startsWith('Failed to parse body as FormData'))
    return 'unsupported content type: send application/json';
  if (message.includes('Maximum call stack size exceeded')) return 'the input is nested too deep';
  return undefined;
}

/** tRPC's refusal of a procedure name it does not know (its message quotes the name). */
export const isUnknownProcedure = (error: TRPCError): boolean =>
  error.code === 'NOT_FOUND' && error.message.startsWith('No procedure found');

/**
 * The failure behind any error a procedure call ended with (over `/trpc`, through the REST
 * adapter, or through the server-side caller of GraphQL and the download): the domain's code
 * when a domain error caused it, otherwise the code of tRPC's status for it. Internal errors
 * say nothing; tRPC's own refusals never quote the request.
 */
export function failureOf(error: TRPCError): ApiFailure {
  const cause = error.cause;
  const status = getHTTPStatusCodeFromError(error);
  const code = cause instanceof DomainError ? cause.code : errorCodeOfHttpStatus(status);
  const issues =
    cause instanceof ZodError ? zodIssuesOf(cause) : cause instanceof DomainError ? cause.issues : undefined;
  const message =
    cause instanceof ZodError
      ? invalidInputMessage
      : isUnknownProcedure(error)
        ? 'no procedure of that name'
        : error.code === 'PARSE_ERROR' || cause instanceof SyntaxError
          ? 'the input is not valid JSON'
          : (transportRefusal(error.message) ?? error.message);
  return { code, message: shownMessage(code, errorTable[code].httpStatus, message), ...(issues ? { issues } : {}) };
}
