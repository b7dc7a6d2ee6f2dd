import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/**
 * Which browser origins may call the API: exact origins (`https://app.example.com`, scheme, host
 * and port as the browser sends them in `Origin`), or `'*'` for any origin. Empty: none, and no
 * CORS headers are ever sent.
 */
export type CorsOrigins = readonly string[];

/**
 * The request headers a browser may send: the key (`Authorization`), JSON bodies
 * (`Content-Type`), Zapini's optimistic locking (`If-Match`), retry-safe creates
 * (`Idempotency-Key`), tracing (`X-Request-Id`), and what tRPC's links add (`trpc-accept` for
 * streamed batches, `x-trpc-source` by convention).
 */
export const corsAllowedHeaders = [
  'Authorization',
  'Content-Type',
  'If-Match',
  'Idempotency-Key',
  'X-Request-Id',
  'trpc-accept',
  'x-trpc-source',
] as const;

/**
 * The response headers a page's script may read beyond the CORS-safelisted ones: Zapini's
 * `ETag`, a create's `Location`, a refusal's `Retry-After`, the rate-limit headers (the IETF
 * draft's `RateLimit-*` and the common `X-RateLimit-*`), the request id to quote to support, and
 * `Idempotent-Replayed` (issue 19) so a page can tell a replayed create from a first answer.
 */
export const corsExposedHeaders = [
  'ETag',
  'Location',
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'X-Request-Id',
  'Content-Disposition',
  'Idempotent-Replayed',
] as const;

/** Every method some surface takes (REST's writes, tRPC's GET and POST, GraphQL's POST). */
const corsMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** How long a browser may cache a preflight's answer (s); Chromium caps it at 2 hours. */
const preflightMaxAgeSeconds = 600;

/**
 * CORS for every route (`/api`, `/api/v1`, `/trpc`, `/core/gq`, `/openapi.json`) with
 * `@fastify/cors`. It must be the first `onRequest` hook: a preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) carries no key and no body, so it is answered (204) here,
 * before the key is required or a content type is checked. An origin not on the list gets no
 * CORS header at all, on a preflight or any other request, so the browser refuses the response;
 * its preflight goes on like any request without a key (401). With no origins nothing is
 * registered. Credentials (cookies) are never allowed: the API is called with a bearer key.
 */
export async function registerCors(app: FastifyInstance, origins: CorsOrigins): Promise<void> {
  if (origins.length === 0) return;
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins);
  await app.register(cors, {
    origin: (origin, callback) => {
      callback(null, origin !== undefined && (anyOrigin || allowed.has(origin)));
    },
    methods: [...corsMethods],
    allowedHeaders: [...corsAllowedHeaders],
    exposedHeaders: [...corsExposedHeaders],
    maxAge: preflightMaxAgeSeconds,
    credentials: false,
    // A bare OPTIONS (no Access-Control-Request-Method) is not a preflight: let it through.
    strictPreflight: false,
  });
}
