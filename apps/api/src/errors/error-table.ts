import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { errorStatus, type ErrorCode } from '@tagging/contracts';

/**
 * The one table from domain error codes to tRPC codes. HTTP statuses come from
 * `errorStatus` in the contracts; each tRPC code below maps to that same status in tRPC's own
 * table, so `/trpc` and `/api` answer alike. (tRPC has no code for 414 and 431, which only the
 * HTTP layer raises: those say BAD_REQUEST with `data.httpStatus` giving the status.)
 */
export const trpcCodeOf: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION_ERROR: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  REQUEST_TIMEOUT: 'TIMEOUT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  URI_TOO_LONG: 'BAD_REQUEST',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  HEADERS_TOO_LARGE: 'BAD_REQUEST',
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

/** What Fastify's own refusals say, in words that never repeat the request (a path, a content type, a JSON excerpt). */
const fastifyMessages: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL does not decode (a malformed percent-escape)',
  FST_ERR_MAX_PARAM_LENGTH: 'a path segment is longer than this server takes',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'bodies are JSON in UTF-8 (Content-Type: application/json)',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the body is not as long as its Content-Length says',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the body is larger than this route takes',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty',
  FST_ERR_CTP_INVALID_TYPE: 'the Content-Type header is not valid',
  FST_ERR_CTP_INVALID_PARSE_TYPE: 'the Content-Type header is not valid',
};

/**
 * The message an error raised outside the procedures may show: a fixed one for Fastify's own
 * codes and for JSON syntax errors (whose text quotes the body), the error's own otherwise.
 */
export function publicMessageOf(error: { code?: string | undefined; message: string; name?: string }): string {
  const fixed = error.code === undefined ? undefined : fastifyMessages[error.code];
  if (fixed) return fixed;
  if (error.name === 'SyntaxError') return 'the body is not valid JSON';
  if (error.code?.startsWith('FST_')) return 'the request is not valid HTTP for this route';
  return error.message;
}
