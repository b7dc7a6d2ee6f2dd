import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { errorStatus, type ErrorCode } from '@tagging/contracts';

/**
 * The one table from domain error codes to tRPC codes. HTTP statuses come from
 * `errorStatus` in the contracts; each tRPC code below maps to that same status in tRPC's own
 * table, so `/trpc` and `/api` answer alike.
 */
export const trpcCodeOf: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION_ERROR: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  INTERNAL_ERROR: 'INTERNAL_SERVER_ERROR',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

const errorCodeOfStatus = new Map<number, ErrorCode>(
  Object.entries(errorStatus).map(([code, status]) => [status, code as ErrorCode]),
);

/** The domain code of a response status, for errors raised outside the domain (parsers, routing). */
export function errorCodeOfHttpStatus(status: number): ErrorCode {
  return errorCodeOfStatus.get(status) ?? (status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR');
}

export function toTRPCError(code: ErrorCode, message: string, cause?: unknown): TRPCError {
  return new TRPCError({ code: trpcCodeOf[code], message, cause });
}

/** The status of an error Fastify raised itself (parsing, body limit, routing); 500 for anything else. */
export function fastifyErrorStatus(error: { statusCode?: number | undefined }): number {
  const status = error.statusCode;
  return status !== undefined && status >= 400 && status < 600 ? status : 500;
}
