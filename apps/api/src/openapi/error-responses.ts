import type { oas31 } from 'zod-openapi';
import { ErrorBody, errorStatus, maxBulkEntities, ZapiniErrorBody, type ErrorCode } from '@tagging/contracts';
import { internalErrorMessage, invalidInputMessage, unavailableMessage } from '../errors/error-table.ts';

/** The error schemas, as components (`defs` of the generator). */
export const errorSchemas = { Error: ErrorBody, ZapiniError: ZapiniErrorBody };

export type Dialect = 'rest' | 'zapini';

type ErrorCase = { description: string; example: ErrorBody; zapiniErrors?: Record<string, string[]> };

/** What each documented error means, with a body the server really sends. */
const errorCases: Record<ErrorCode, ErrorCase> = {
  VALIDATION_ERROR: {
    description: 'Invalid input: `issues` (Zapini: `errors`) names each field and what is wrong with it',
    example: {
      code: 'VALIDATION_ERROR',
      message: invalidInputMessage,
      issues: [{ path: ['color'], message: 'must be #RRGGBB or a color name' }],
    },
    zapiniErrors: { color: ['The color must be a hex color code (#RRGGBB).'] },
  },
  UNAUTHORIZED: {
    description: 'No API key, or an unknown or revoked one',
    example: { code: 'UNAUTHORIZED', message: 'a valid API key is required (Authorization: Bearer <key>)' },
  },
  FORBIDDEN: {
    description:
      'The API key may not do this: a `read` key on a change, a key that is not `admin` on the API-key routes, or a `workspaceId` that is not the key’s workspace',
    example: { code: 'FORBIDDEN', message: 'this API key does not give access to workspace 2' },
  },
  NOT_FOUND: {
    description: 'Not found in the API key’s workspace (another workspace’s ids are never revealed)',
    example: { code: 'NOT_FOUND', message: 'tag wtag_550e8400-e29b-41d4-a716-446655440001 not found' },
  },
  METHOD_NOT_ALLOWED: {
    description: 'A method the path does not take (tRPC only: REST answers 404); `Allow` lists those it takes',
    example: { code: 'METHOD_NOT_ALLOWED', message: 'tRPC takes GET for queries and POST for mutations' },
  },
  CONFLICT: {
    description: 'Conflicts with the current state (duplicate name or external id, tag already applied, stale version)',
    example: { code: 'CONFLICT', message: 'a tag named "VIP" already exists' },
  },
  PRECONDITION_FAILED: {
    description: 'The `If-Match` header names a version that is no longer current (reload and retry)',
    example: {
      code: 'PRECONDITION_FAILED',
      message:
        'The conversation tags were changed by someone else (If-Match no longer holds); reload them and try again.',
    },
  },
  PAYLOAD_TOO_LARGE: {
    description: `The body is larger than the operation takes (1 MiB; 10 MiB for bulk operations, by default), or more than ${maxBulkEntities.toLocaleString('en')} items in one request`,
    example: {
      code: 'PAYLOAD_TOO_LARGE',
      message: `at most ${maxBulkEntities} entities per request (got ${maxBulkEntities + 1})`,
    },
  },
  REQUEST_TIMEOUT: {
    description: 'The request’s headers or body did not arrive in time; the connection is closed',
    example: { code: 'REQUEST_TIMEOUT', message: 'the request did not arrive in time' },
  },
  URI_TOO_LONG: {
    description: 'A path segment longer than the server takes',
    example: { code: 'URI_TOO_LONG', message: 'a path segment is longer than 4096 characters' },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    description:
      'A body that is not `application/json` in UTF-8, or has a content coding (`Content-Encoding` other than `identity`)',
    example: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'bodies are JSON in UTF-8 (application/json)' },
  },
  HEADERS_TOO_LARGE: {
    description: 'Request headers (the URL included) over the server’s limit',
    example: { code: 'HEADERS_TOO_LARGE', message: 'the request headers (URL included) are too large' },
  },
  IDEMPOTENCY_KEY_REUSED: {
    description: 'The `Idempotency-Key` was already used with a different request (another route or body)',
    example: {
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: 'this Idempotency-Key was already used with a different request',
    },
  },
  RATE_LIMITED: {
    description: 'Too many requests with this API key; retry after `Retry-After` seconds',
    example: { code: 'RATE_LIMITED', message: 'rate limit exceeded; retry in 1 s' },
  },
  INTERNAL_ERROR: {
    description: 'Unexpected server error (the body never carries details)',
    example: { code: 'INTERNAL_ERROR', message: internalErrorMessage },
  },
  UNAVAILABLE: {
    description: 'The database is unavailable; retry shortly',
    example: { code: 'UNAVAILABLE', message: unavailableMessage },
  },
};

const toZapini = (errorCase: ErrorCase): ZapiniErrorBody => ({
  success: false,
  message: errorCase.example.message,
  ...(errorCase.zapiniErrors ? { errors: errorCase.zapiniErrors } : {}),
});

function errorResponse(dialect: Dialect, code: ErrorCode): oas31.ResponseObject {
  const errorCase = errorCases[code];
  const retryAfter = { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } as const;
  return {
    description: errorCase.description,
    ...(code === 'RATE_LIMITED' ? { headers: { 'Retry-After': retryAfter } } : {}),
    content: {
      'application/json': {
        schema: { $ref: `#/components/schemas/${dialect === 'zapini' ? 'ZapiniError' : 'Error'}` },
        example: dialect === 'zapini' ? toZapini(errorCase) : errorCase.example,
      },
    },
  };
}

/**
 * An operation's error responses, in status order, as references to `components.responses`
 * (one per dialect and code, added there as operations first use them).
 */
export function errorResponsesOf(
  dialect: Dialect,
  codes: Iterable<ErrorCode>,
  components: Record<string, oas31.ResponseObject>,
): Record<string, oas31.ReferenceObject> {
  const sorted = [...new Set(codes)].sort((a, b) => errorStatus[a] - errorStatus[b]);
  return Object.fromEntries(
    sorted.map((code) => {
      const name = `${dialect === 'zapini' ? 'Zapini' : ''}${code}`;
      components[name] ??= errorResponse(dialect, code);
      return [String(errorStatus[code]), { $ref: `#/components/responses/${name}` }];
    }),
  );
}
