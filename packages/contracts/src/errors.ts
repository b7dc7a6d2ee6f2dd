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
