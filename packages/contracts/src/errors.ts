import { z } from 'zod';

/**
 * Stable error codes shared by the domain, every transport and the SDK. Each code has exactly one
 * HTTP status; transports map the code, never the message.
 */
export const errorStatus = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  /**
   * A method the path does not take: on tRPC a query sent by POST, a mutation by GET, or any
   * method but GET and POST (the answer's `Allow` says which). REST paths answer 404 instead
   * (docs/DECISIONS.md, "REST adapter").
   */
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  /** The request did not arrive in time (headers or body too slow). */
  REQUEST_TIMEOUT: 408,
  /** An `If-Match` precondition that no longer holds (RFC 9110). */
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  /** A URL (or a tRPC batch's list of procedures) longer than the server takes. */
  URI_TOO_LONG: 414,
  /** A body whose content type or charset the route does not take (bodies are UTF-8 JSON). */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /**
   * An `Idempotency-Key` already used on a different request (another route or body): the key
   * names one request only (issue 19; the IETF Idempotency-Key draft's 422).
   */
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  /** Request headers (the URL included) over the server's header size limit. */
  HEADERS_TOO_LARGE: 431,
  INTERNAL_ERROR: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export const ErrorCode = z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]);

export const ErrorIssue = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});
export type ErrorIssue = z.infer<typeof ErrorIssue>;

/** The JSON body of every error on the plain REST routes (`/api/...` outside the dialects). */
export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  issues: z.array(ErrorIssue).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

const errorCodeByStatus = new Map<number, ErrorCode>(
  Object.entries(errorStatus).map(([code, status]) => [status, code as ErrorCode]),
);

/**
 * The code of an HTTP status, for errors that carry no code of ours (the HTTP layer's refusals,
 * a proxy's page): the table's code for the status, else by class. 500 is an internal error;
 * any other 5xx (a gateway's 502/504) is the service being unavailable; any other 4xx a
 * validation error. The server, the OpenAPI document and the SDK all read this one lookup.
 */
export function errorCodeOfHttpStatus(status: number): ErrorCode {
  const known = errorCodeByStatus.get(status);
  if (known) return known;
  if (status >= 500) return status === 500 ? 'INTERNAL_ERROR' : 'UNAVAILABLE';
  return 'VALIDATION_ERROR';
}

/**
 * The error body of the Zapini dialect (document 002, every error under `/api/v1`):
 * `{ success: false, message, errors? }`, where `errors` maps a field path (dot-joined) to its
 * messages, Laravel style, and is present on errors that name fields.
 */
export const ZapiniErrorBody = z.object({
  success: z.literal(false),
  message: z.string(),
  errors: z.record(z.string(), z.array(z.string())).optional(),
});
export type ZapiniErrorBody = z.infer<typeof ZapiniErrorBody>;
