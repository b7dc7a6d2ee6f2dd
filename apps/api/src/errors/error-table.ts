import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { errorStatus, type ErrorCode } from '@tagging/contracts';

/** What one error code is called in each dialect. */
export type ErrorMapping = {
  /** The HTTP status of every dialect's response (REST, Zapini, tRPC, GraphQL request errors). */
  httpStatus: number;
  /** The tRPC code; tRPC's own table gives it the same status, so `/trpc` and `/api` answer alike. */
  trpcCode: TRPC_ERROR_CODE_KEY;
  /** `extensions.code` of a GraphQL error. */
  graphQLCode: ErrorCode;
};

const row = (code: ErrorCode, trpcCode: TRPC_ERROR_CODE_KEY): ErrorMapping => ({
  httpStatus: errorStatus[code],
  trpcCode,
  graphQLCode: code,
});

/**
 * The one table from the domain's error codes (`ErrorCode`, in the contracts) to each dialect.
 * tRPC has no code for 414 and 431, which only the HTTP layer raises: those say BAD_REQUEST,
 * with `data.httpStatus` giving the status. Every transport reads this table; the dialects'
 * bodies are built by `rest-error-bodies.ts`, `trpc-error-bodies.ts` and `graphql-error-bodies.ts`.
 */
export const errorTable: Record<ErrorCode, ErrorMapping> = {
  VALIDATION_ERROR: row('VALIDATION_ERROR', 'BAD_REQUEST'),
  UNAUTHORIZED: row('UNAUTHORIZED', 'UNAUTHORIZED'),
  FORBIDDEN: row('FORBIDDEN', 'FORBIDDEN'),
  NOT_FOUND: row('NOT_FOUND', 'NOT_FOUND'),
  METHOD_NOT_ALLOWED: row('METHOD_NOT_ALLOWED', 'METHOD_NOT_SUPPORTED'),
  CONFLICT: row('CONFLICT', 'CONFLICT'),
  REQUEST_TIMEOUT: row('REQUEST_TIMEOUT', 'TIMEOUT'),
  PRECONDITION_FAILED: row('PRECONDITION_FAILED', 'PRECONDITION_FAILED'),
  PAYLOAD_TOO_LARGE: row('PAYLOAD_TOO_LARGE', 'PAYLOAD_TOO_LARGE'),
  URI_TOO_LONG: row('URI_TOO_LONG', 'BAD_REQUEST'),
  UNSUPPORTED_MEDIA_TYPE: row('UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_MEDIA_TYPE'),
  IDEMPOTENCY_KEY_REUSED: row('IDEMPOTENCY_KEY_REUSED', 'UNPROCESSABLE_CONTENT'),
  RATE_LIMITED: row('RATE_LIMITED', 'TOO_MANY_REQUESTS'),
  HEADERS_TOO_LARGE: row('HEADERS_TOO_LARGE', 'BAD_REQUEST'),
  INTERNAL_ERROR: row('INTERNAL_ERROR', 'INTERNAL_SERVER_ERROR'),
  UNAVAILABLE: row('UNAVAILABLE', 'SERVICE_UNAVAILABLE'),
};

/** What every dialect says of an internal error: nothing of its cause (SQL, driver details, a stack). */
export const internalErrorMessage = 'Internal server error';

/** What every dialect says when the database cannot be reached (503, so that clients retry). */
export const unavailableMessage = 'the database is unavailable; retry shortly';

/** A statement PostgreSQL cancelled (`DATABASE_STATEMENT_TIMEOUT_MS`): retry, or ask for less. */
export const statementCancelledMessage =
  'the database did not answer in time (the statement was cancelled); retry shortly or narrow the request';

/** Changes that still met in a deadlock after their retries: nothing was done; send it again. */
export const lockConflictMessage =
  'the change met concurrent changes of the same records and was not applied; retry shortly';

/** What a validation error of an input schema says; its `issues` name the fields. */
export const invalidInputMessage = 'Input validation failed';

/**
 * The message an error may show: an internal error (500, or any 5xx but 503) says nothing of
 * its cause, whichever dialect answers.
 */
export function shownMessage(code: ErrorCode, status: number, message: string): string {
  return code === 'INTERNAL_ERROR' || (status >= 500 && status !== 503) ? internalErrorMessage : message;
}
